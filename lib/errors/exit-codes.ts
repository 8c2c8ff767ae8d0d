/**
 * The exit codes of every PrecisionAid command-line tool (README: "exits 0 (ok), 1 (failure) or 2 (bad
 * input, nothing sent)"), in one table so no tool invents its own.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** A failure: a refused transaction, books that do not balance, no node, an I/O error. */
  FAILURE: 1,
  /** Bad input (arguments, files, a command line that cannot be parsed): nothing was written or sent. */
  BAD_INPUT: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
