/**
 * The county's household register and its public list (docs/HOUSEHOLDS.md, "The files"): the formats,
 * their checks, and how a households file is merged into a register. Pure (no file system): the CLI
 * (`npm run household -- register`) reads and writes the files.
 *
 *   register.csv     PRIVATE. One row per household: reference, id_kind, id_number, salt, commitment,
 *                    account, registered_at. Kept by the county office (file mode 0600), never published.
 *                    Every row is re-derived on reading, so an edited or damaged row is refused by line.
 *   commitments.csv  PUBLIC. commitment, account, sorted by commitment (so the order tells nothing about
 *                    the households: not the village, not the order of registration). No ID numbers,
 *                    salts, references or names. What officials sign bindings for.
 *
 * Registering is idempotent: a household already in the register keeps its salt, so its commitment
 * never changes; new households get a fresh salt; a row that contradicts the register is refused.
 */
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { readCsvTable, type CsvIssue } from "../format/csv-table.ts";
import { commitHousehold, isSalt, newSalt, normaliseIdNumber, type HouseholdIdentity } from "./household.ts";
import { identityKey, referenceProblem, type HouseholdRow } from "./household-csv.ts";

export const REGISTER_FILE = "register.csv";
export const PUBLIC_LIST_FILE = "commitments.csv";
export const REGISTER_FORMAT = "precisionaid-household-register-v1";
export const PUBLIC_LIST_FORMAT = "precisionaid-household-commitments-v1";

export const REGISTER_COLUMNS = ["reference", "id_kind", "id_number", "salt", "commitment", "account", "registered_at"] as const;
export const PUBLIC_LIST_COLUMNS = ["commitment", "account"] as const;

const REGISTER_HEADER = [
  `# PrecisionAid household register (${REGISTER_FORMAT})`,
  "# PRIVATE: ID numbers and salts. Whoever holds a household's salt can test guesses of its ID number against",
  "# its public commitment. Keep this file in the county office (file mode 0600) with an offline backup; never",
  "# publish it, commit it, or send it by chat or e-mail. Publish commitments.csv (beside it) instead.",
  "# Written by `npm run household -- register`; do not edit by hand: every row is checked against the",
  "# commitment recipe when read (docs/HOUSEHOLDS.md).",
];
const PUBLIC_HEADER = [
  `# PrecisionAid household commitments (${PUBLIC_LIST_FORMAT})`,
  "# PUBLIC: no personal data (no ID numbers, salts, references or names). Sorted by commitment.",
  "# Each commitment hashes a household's ID number with a secret 32-byte salt kept in the county's register",
  "# (docs/HOUSEHOLDS.md). Written by `npm run household -- register`.",
];

/** One household of the register. */
export interface RegisterEntry extends HouseholdIdentity {
  reference: string;
  salt: Hex;
  commitment: Hex;
  account: Address;
  /** The day it was first registered (YYYY-MM-DD, UTC). */
  registeredAt: string;
  /** Its line in the register file it was read from (0 for an entry not yet written). */
  line: number;
}

export type RegisterIssueCode =
  | "notARegister"
  | "missing"
  | "referenceInvalid"
  | "idInvalid"
  | "idNotNormalised"
  | "saltInvalid"
  | "commitmentMismatch"
  | "accountInvalid"
  | "dateInvalid"
  | "duplicate";

/** The register file's text: its warning header, the column names, one row per entry in register order. */
export function encodeRegister(entries: readonly RegisterEntry[]): string {
  const rows = entries.map((e) => [e.reference, e.idKind, e.idNumber, e.salt, e.commitment, e.account, e.registeredAt].join(","));
  return [...REGISTER_HEADER, REGISTER_COLUMNS.join(","), ...rows].join("\n") + "\n";
}

/** The public list's text: commitments and accounts only, sorted by commitment. */
export function encodePublicList(entries: readonly Pick<RegisterEntry, "commitment" | "account">[]): string {
  const rows = entries.map((e) => `${e.commitment},${e.account}`).sort();
  return [...PUBLIC_HEADER, PUBLIC_LIST_COLUMNS.join(","), ...rows].join("\n") + "\n";
}

/**
 * Reads a register file, re-deriving every row's commitment from its ID number and salt. Never throws
 * on bad input: every problem becomes an issue (file:line:field).
 */
export function parseRegister(
  text: string,
  file: string,
  o: { onProgress?: (done: number, total: number) => void } = {},
): { entries: RegisterEntry[]; issues: CsvIssue<string>[] } {
  const issues: CsvIssue<string>[] = [];
  const entries: RegisterEntry[] = [];
  if (!text.startsWith(REGISTER_HEADER[0])) {
    issues.push({ file, line: 1, field: "-", code: "notARegister", params: {}, message: `not a household register: the first line must be "${REGISTER_HEADER[0]}"` });
    return { entries, issues };
  }
  const table = readCsvTable(text, file, { columns: REGISTER_COLUMNS, required: REGISTER_COLUMNS, comment: "#" });
  // An empty register (written before any household) is a register, not an error.
  issues.push(...table.issues.filter((i) => i.code !== "noRows"));
  if (!table.readable) return { entries, issues };

  const seen = { reference: new Map<string, number>(), identity: new Map<string, number>(), account: new Map<string, number>(), commitment: new Map<string, number>() };
  for (const [n, { line, get }] of table.records.entries()) {
    const before = issues.length;
    const fail = (field: string, code: RegisterIssueCode, message: string) => issues.push({ file, line, field, code, params: {}, message });
    const reference = get("reference");
    const refProblem = referenceProblem(reference);
    if (refProblem) fail("reference", refProblem === "missing" ? "missing" : "referenceInvalid", refProblem);
    const idNumber = get("id_number");
    // The birth date was checked when the household was registered; it can only have moved further into the past.
    const id = normaliseIdNumber(idNumber, get("id_kind"));
    if (!id.ok) fail(id.problem.field === "idKind" ? "id_kind" : "id_number", "idInvalid", id.problem.message);
    else if (id.idNumber !== idNumber || id.idKind !== get("id_kind")) fail("id_number", "idNotNormalised", "not in normalised form: the register was edited by hand");
    const salt = get("salt");
    if (!isSalt(salt)) fail("salt", "saltInvalid", "expected 0x + 64 hex digits, not all zero");
    const commitment = get("commitment").toLowerCase();
    if (id.ok && isSalt(salt) && commitHousehold(id, salt) !== commitment)
      fail("commitment", "commitmentMismatch", "does not match the ID number and salt (the recipe of docs/HOUSEHOLDS.md): the row was edited or damaged");
    const account = get("account");
    if (!isAddress(account, { strict: true }) || /^0x0{40}$/.test(account)) fail("account", "accountInvalid", `"${account}" is not a valid account`);
    const registeredAt = get("registered_at");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(registeredAt) || Number.isNaN(Date.parse(registeredAt))) fail("registered_at", "dateInvalid", `"${registeredAt}" is not a date (YYYY-MM-DD)`);
    if (issues.length > before || !id.ok) continue;

    const entry: RegisterEntry = { reference, idKind: id.idKind, idNumber: id.idNumber, salt: salt as Hex, commitment: commitment as Hex, account: getAddress(account), registeredAt, line };
    const keys = { reference, identity: identityKey(entry), account: entry.account.toLowerCase(), commitment };
    let unique = true;
    for (const [what, key] of Object.entries(keys) as [keyof typeof seen, string][]) {
      const first = seen[what].get(key);
      if (first !== undefined) {
        fail(what === "identity" ? "id_number" : what, "duplicate", `same ${what === "identity" ? "ID number" : what} as line ${first}`);
        unique = false;
      } else seen[what].set(key, line);
    }
    if (unique) entries.push(entry);
    if (o.onProgress && (n % 1000 === 999 || n === table.records.length - 1)) o.onProgress(n + 1, table.records.length);
  }
  return { entries, issues };
}

export type RegistrationIssueCode = "conflictReference" | "conflictAccount" | "referenceTaken" | "accountTaken";

export interface RegistrationPlan {
  /** The whole register after this run: the existing entries in their order, then the new ones. */
  entries: RegisterEntry[];
  /** The rows that are new households, with their fresh salts and commitments. */
  added: RegisterEntry[];
  /** The rows already in the register exactly as given (they keep their salts and commitments). */
  unchanged: RegisterEntry[];
  /** Rows that contradict the register; when there are any, nothing may be written. */
  issues: CsvIssue<RegistrationIssueCode>[];
}

/**
 * Merges checked rows into a register. A row whose household (kind and ID number) is registered must
 * agree with it on reference and account; a new household must not take a registered reference or
 * account. Salts come from `salt` (default: fresh random ones).
 */
export function planRegistration(
  register: readonly RegisterEntry[],
  rows: readonly HouseholdRow[],
  o: { file: string; registerFile: string; today: string; salt?: () => Hex; onProgress?: (done: number, total: number) => void },
): RegistrationPlan {
  const byIdentity = new Map(register.map((e) => [identityKey(e), e]));
  const byReference = new Map(register.map((e) => [e.reference, e]));
  const byAccount = new Map(register.map((e) => [e.account.toLowerCase(), e]));
  const issues: RegistrationPlan["issues"] = [];
  const added: RegisterEntry[] = [];
  const unchanged: RegisterEntry[] = [];
  const drawSalt = o.salt ?? newSalt;
  for (const [n, row] of rows.entries()) {
    if (o.onProgress && (n % 1000 === 999 || n === rows.length - 1)) o.onProgress(n + 1, rows.length);
    const fail = (field: string, code: RegistrationIssueCode, message: string, params: CsvIssue["params"] = {}) =>
      issues.push({ file: o.file, line: row.line, field, code, params, message });
    const known = byIdentity.get(identityKey(row));
    if (known) {
      const before = issues.length;
      // Say where, never what: the terminal may be read over a shoulder, so no ID number is printed.
      if (known.reference !== row.reference)
        fail("reference", "conflictReference", `this ID number is registered as "${known.reference}" (${o.registerFile} line ${known.line})`, { reference: known.reference, registerLine: known.line });
      if (known.account !== row.account)
        fail("account", "conflictAccount", `the register has this household at ${known.account} (${o.registerFile} line ${known.line}); an account changes only by a re-bind on chain, never by editing the register`, { account: known.account, registerLine: known.line });
      if (issues.length === before) unchanged.push(known);
      continue;
    }
    const before = issues.length;
    const sameReference = byReference.get(row.reference);
    if (sameReference) fail("reference", "referenceTaken", `"${row.reference}" already names another household (${o.registerFile} line ${sameReference.line})`, { registerLine: sameReference.line });
    const sameAccount = byAccount.get(row.account.toLowerCase());
    if (sameAccount) fail("account", "accountTaken", `already the account of household "${sameAccount.reference}" (${o.registerFile} line ${sameAccount.line})`, { reference: sameAccount.reference, registerLine: sameAccount.line });
    if (issues.length > before) continue;
    const salt = drawSalt();
    const identity = { idKind: row.idKind, idNumber: row.idNumber };
    added.push({ reference: row.reference, ...identity, salt, commitment: commitHousehold(identity, salt), account: row.account, registeredAt: o.today, line: 0 });
  }
  return { entries: [...register, ...added], added, unchanged, issues };
}
