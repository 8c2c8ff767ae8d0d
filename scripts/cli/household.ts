/**
 * household: a county's household register, its households' cards, and checking a card at any office.
 *
 *   npm run household -- register --in households.csv --out register/ [--dry-run] [--json]
 *   npm run household -- cards --register register/ --out cards.html [--reference R]... [--issuer T] [--per-file N]
 *   npm run household -- check-card [--qr <card text>] [--id-number <number>]
 *
 * All three work offline: nothing here talks to a node. Binding a household's commitment to its account
 * and the lost-phone re-bind are not part of this tool yet (docs/HOUSEHOLDS.md, "Binding and recovery").
 *
 * Exit codes, as for every tool of the project: 0 done; 1 failure (I/O, a card that does not match, a
 * register locked by another run); 2 bad input or arguments (nothing is written).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, chmodSync, openSync, writeSync, closeSync } from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { formatIssue, type CsvIssue } from "../../lib/format/csv-table.ts";
import { HOUSEHOLD_CSV_COLUMNS, validateHouseholdCsv } from "../../lib/registry/household-csv.ts";
import { PUBLIC_LIST_FILE, REGISTER_FILE, encodePublicList, encodeRegister, parseRegister, planRegistration, type RegisterEntry } from "../../lib/registry/household-register.ts";
import { checkCard, parseCardPayload } from "../../lib/registry/household-card.ts";
import { renderCardSheet } from "../../lib/registry/household-cards-html.ts";
import { ID_KINDS } from "../../lib/registry/household.ts";
import { EXIT, CliError, badInput, progress, runCli, table, toJson } from "./common.ts";
import { writeFileAtomically } from "./atomic-file.ts";

export const HELP = `Usage: npm run household -- <command> [options]

A county's household register, its households' printed cards, and checking a card at any office.
All offline: no node is needed. Who keeps which file: docs/HOUSEHOLDS.md.

  register --in <households.csv> --out <register dir> [--dry-run]
      Checks the whole file first: every problem is printed as file:line:field, and a bad file writes
      nothing. Then writes, in <register dir>:
        ${REGISTER_FILE}     PRIVATE: each household's ID number, its random 32-byte salt and its
                          commitment (file mode 0600). Never publish it, commit it or send it.
        ${PUBLIC_LIST_FILE}  PUBLIC: commitments and accounts only (no personal data), sorted by commitment.
      Re-running with the same register keeps every registered household's salt, so its commitment never
      changes; new households are added; a row that contradicts the register (the same ID number with
      another reference or account, a reference or account of another household) is refused.
      Columns of households.csv (header row required): ${HOUSEHOLD_CSV_COLUMNS.join(", ")}
        reference   the county's reference for the household (letters, digits, " _ . / -"; up to 64)
        id_number   the resident ID number (18 characters; full-width characters, spaces and a small x
                    are normalised, the check character and birth date are checked)
        account     the household's account (0x + 40 hex)
        id_kind     optional: ${ID_KINDS.join(" (default) or ")} (a county reference for a household with no resident ID)
      --dry-run   check and show what would be added; write nothing

  cards --register <register dir> --out <cards.html> [--reference <ref>]... [--issuer <text>] [--per-file <n>]
      One printable card per household, ten to an A4 page (open the file in any browser and print it):
      the household's QR (ID kind, salt and commitment, so any office can re-derive the commitment from
      the card and the ID card), its reference, and "keep this card; if you lose your phone, bring it to
      any office" in Chinese and English. PRIVATE like the register (mode 0600): every card carries its
      household's salt. Hand the cards out, then delete the file.
      --reference <ref>  only this household (repeat for more; default: every household)
      --issuer <text>    printed on every card, e.g. "雷山县 Leishan county"
      --per-file <n>     at most n cards per file (default 500); more go to <cards>-001.html, -002.html, ...

  check-card [--qr <card text>] [--id-number <number>]
      At any office: is this ID number the one this card was made for? Re-derives the commitment from
      the card's salt and the number. Without the options it asks for both on standard input (first
      the card's text, as a QR scanner types it, then the number): better than the command line, which
      keeps them in the shell's history. Exit 0: they match; 1: they do not.

Every command: --json (machine-readable output), -h/--help (this text).
Exit codes: 0 done; 1 failure (a card that does not match, a register locked by another run, I/O);
2 bad input or arguments (every problem listed; nothing written).
`;

type Options = Record<string, string | boolean | string[] | undefined>;

function parse(args: string[], options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>): Options {
  try {
    return parseArgs({ args, options: { ...options, json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true }).values as Options;
  } catch (err) {
    throw badInput(`${(err as Error).message} (see --help)`);
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw badInput(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Prints every problem of a file and says that nothing was written; the exit code for bad input. */
function refuse(issues: CsvIssue[], file: string, json: boolean): number {
  if (json) console.log(toJson({ ok: false, issues }));
  else {
    for (const i of issues) console.error(formatIssue(i));
    console.error(`${issues.length} problem(s) in ${file}; nothing was written.`);
  }
  return EXIT.BAD_INPUT;
}

/** A progress bar driven by (done, total) callbacks: started on the first one. */
function bar(label: string, enabled: boolean) {
  const b = progress(label, enabled);
  let started = false;
  return {
    update: (done: number, total: number) => {
      if (!started) b.start(total);
      started = true;
      b.update(done, total);
    },
    stop: () => started && b.stop(),
  };
}

/**
 * Only one command writes a register at a time (two officials on one shared folder would otherwise lose
 * one run's new salts). The lock holds the writer's process id; a lock whose process is gone is stale.
 */
function lockRegister(dir: string): () => void {
  const path = join(dir, ".lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = Number(readFileSync(path, "utf8"));
      let alive = false;
      try {
        alive = pid > 0 && (process.kill(pid, 0), true);
      } catch {
        alive = false;
      }
      if (alive) throw new CliError(`${dir} is being written by another household command (process ${pid}); run again when it has finished`);
      rmSync(path, { force: true });
    }
  }
  throw new CliError(`cannot lock ${dir}`);
}

/** Reads and checks a register; bad rows are bad input (exit 2), reported by line and field. */
function readRegister(dir: string, json: boolean): { entries: RegisterEntry[]; path: string; exists: boolean } | number {
  const path = join(dir, REGISTER_FILE);
  if (!existsSync(path)) return { entries: [], path, exists: false };
  const b = bar("reading the register", !json);
  const { entries, issues } = parseRegister(readText(path), path, { onProgress: b.update });
  b.stop();
  if (issues.length > 0) return refuse(issues, path, json);
  return { entries, path, exists: true };
}

/** A register readable by anyone but its owner is narrowed to 0600 again, with a warning. */
function keepPrivate(path: string, json: boolean) {
  const mode = statSync(path).mode & 0o777;
  if (mode !== 0o600) {
    chmodSync(path, 0o600);
    if (!json) console.error(`warning: ${path} had mode ${mode.toString(8).padStart(4, "0")}; it is private and now 0600 again.`);
  }
}

const GITIGNORE = "# The household register is private: git never takes this folder, except the public list.\n*\n!.gitignore\n!commitments.csv\n";

async function register(args: string[]): Promise<number> {
  const o = parse(args, { in: { type: "string" }, out: { type: "string" }, "dry-run": { type: "boolean" } });
  if (o.help) return help();
  if (typeof o.in !== "string") throw badInput("register needs --in <households.csv> (see --help)");
  if (typeof o.out !== "string") throw badInput("register needs --out <register dir> (see --help)");
  const json = Boolean(o.json);
  const dryRun = Boolean(o["dry-run"]);
  const now = new Date();

  // 1. The whole input file, before anything is touched.
  const checking = bar("checking", !json);
  const { rows, issues } = validateHouseholdCsv(readText(o.in), o.in, { now, onProgress: checking.update });
  checking.stop();
  if (issues.length > 0) return refuse(issues, o.in, json);

  // 2. The register as it is, and what this file adds to it.
  if (!dryRun) mkdirSync(o.out, { recursive: true, mode: 0o700 });
  const release = dryRun ? () => {} : lockRegister(o.out);
  try {
    const current = readRegister(o.out, json);
    if (typeof current === "number") return current;
    const committing = bar("committing", !json);
    const plan = planRegistration(current.entries, rows, { file: o.in, registerFile: current.path, today: now.toISOString().slice(0, 10), onProgress: committing.update });
    committing.stop();
    if (plan.issues.length > 0) return refuse(plan.issues, o.in, json);

    // 3. Write: the private register first (0600 from its first byte), then the public list, which is
    // always rewritten from the register (so a run interrupted between the two is repaired by the next).
    const publicPath = join(o.out, PUBLIC_LIST_FILE);
    if (!dryRun) {
      if (plan.added.length > 0 || !current.exists) await writeFileAtomically(current.path, [encodeRegister(plan.entries)], { mode: 0o600 });
      else keepPrivate(current.path, json);
      await writeFileAtomically(publicPath, [encodePublicList(plan.entries)], { mode: 0o644 });
      const ignore = join(o.out, ".gitignore");
      if (!existsSync(ignore)) await writeFileAtomically(ignore, [GITIGNORE], { mode: 0o644 });
    }

    const summary = {
      ok: true,
      file: o.in,
      dryRun,
      register: current.path,
      publicList: publicPath,
      rows: rows.length,
      added: plan.added.length,
      alreadyRegistered: plan.unchanged.length,
      households: plan.entries.length,
      // References, commitments and accounts only: no ID number or salt is ever printed.
      newHouseholds: plan.added.map((e) => ({ reference: e.reference, commitment: e.commitment, account: e.account })),
    };
    if (json) console.log(toJson(summary));
    else {
      console.log(table([{ "rows in file": rows.length, added: plan.added.length, "already registered": plan.unchanged.length, "households in register": plan.entries.length }]));
      if (dryRun) console.log("dry run: nothing was written.");
      else console.log(`private register: ${current.path} (mode 0600; never publish it)\npublic list:      ${publicPath}`);
    }
    return EXIT.OK;
  } finally {
    release();
  }
}

/** cards.html -> cards-001.html, cards-002.html, ... */
const numbered = (out: string, i: number) => join(dirname(out), `${basename(out, extname(out))}-${String(i + 1).padStart(3, "0")}${extname(out) || ".html"}`);

async function cards(args: string[]): Promise<number> {
  const o = parse(args, {
    register: { type: "string" },
    out: { type: "string" },
    reference: { type: "string", multiple: true },
    issuer: { type: "string" },
    "per-file": { type: "string" },
  });
  if (o.help) return help();
  if (typeof o.register !== "string") throw badInput("cards needs --register <register dir> (see --help)");
  if (typeof o.out !== "string") throw badInput("cards needs --out <cards.html> (see --help)");
  const perFile = o["per-file"] === undefined ? 500 : Number(o["per-file"]);
  if (!Number.isInteger(perFile) || perFile < 1) throw badInput("--per-file must be a positive integer");
  const json = Boolean(o.json);

  const current = readRegister(o.register, json);
  if (typeof current === "number") return current;
  if (!current.exists) throw badInput(`${current.path} does not exist: register the households first (npm run household -- register)`);
  let chosen = current.entries;
  const wanted = (o.reference as string[] | undefined) ?? [];
  if (wanted.length > 0) {
    const byReference = new Map(current.entries.map((e) => [e.reference, e]));
    const unknown = wanted.filter((r) => !byReference.has(r));
    if (unknown.length > 0) throw badInput(`--reference: not in ${current.path}: ${unknown.join(", ")}`);
    chosen = [...new Set(wanted)].map((r) => byReference.get(r)!);
  }
  if (chosen.length === 0) throw badInput(`${current.path} has no households yet`);

  const files: { file: string; cards: number; first: string; last: string }[] = [];
  const drawing = progress("drawing cards", !json);
  drawing.start(chosen.length);
  let drawn = 0;
  const issuedOn = new Date().toISOString().slice(0, 10);
  try {
    for (let i = 0; i < chosen.length; i += perFile) {
      const part = chosen.slice(i, i + perFile);
      const file = chosen.length > perFile ? numbered(o.out, i / perFile) : o.out;
      const html = renderCardSheet(part, { issuedOn, issuer: o.issuer as string | undefined, onCard: () => drawing.update(++drawn) });
      mkdirSync(dirname(file) || ".", { recursive: true });
      await writeFileAtomically(file, [html], { mode: 0o600 });
      files.push({ file, cards: part.length, first: part[0].reference, last: part.at(-1)!.reference });
    }
  } catch (err) {
    // All the cards or none: a batch missing some households would be handed out as if it were whole.
    drawing.stop();
    for (const { file } of files) rmSync(file, { force: true });
    throw err;
  }
  drawing.stop();
  if (json) console.log(toJson({ ok: true, register: current.path, cards: chosen.length, files }));
  else {
    console.log(table(files));
    console.log("PRIVATE: every card carries its household's salt (mode 0600). Print, hand the cards out, then delete the file(s).");
  }
  return EXIT.OK;
}

/** The lines still to be read from standard input, asked for with prompts on a terminal. */
async function* stdinAnswers(prompts: string[]): AsyncGenerator<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: Boolean(process.stdin.isTTY) });
  try {
    const lines = rl[Symbol.asyncIterator]();
    for (const prompt of prompts) {
      if (process.stdin.isTTY) process.stderr.write(prompt);
      const next = await lines.next();
      yield next.done ? "" : next.value;
    }
  } finally {
    rl.close();
  }
}

async function checkCardCommand(args: string[]): Promise<number> {
  const o = parse(args, { qr: { type: "string" }, "id-number": { type: "string" } });
  if (o.help) return help();
  const json = Boolean(o.json);
  const prompts = [...(o.qr === undefined ? ["Scan the card (or type its text): "] : []), ...(o["id-number"] === undefined ? ["ID number: "] : [])];
  const answers = stdinAnswers(prompts);
  const ask = async () => (await answers.next()).value ?? "";
  const qr = typeof o.qr === "string" ? o.qr : await ask();
  const idNumber = typeof o["id-number"] === "string" ? o["id-number"] : await ask();
  await answers.return(undefined);

  const card = parseCardPayload(qr);
  if (!card.ok) throw badInput(`card: ${card.message}`);
  const check = checkCard(card.card, idNumber);
  if (!check.ok) throw badInput(`ID number: ${check.problem.message}`);
  if (json) console.log(toJson({ ok: true, matches: check.matches, idKind: card.card.idKind, commitment: check.commitment }));
  else if (check.matches) console.log(`The ID number matches the card: household commitment ${check.commitment}.`);
  else console.log("The ID number does NOT match this card: check the number against the ID card (a typo?), or the card is another household's.");
  return check.matches ? EXIT.OK : EXIT.FAILURE;
}

function help(): number {
  process.stdout.write(HELP);
  return EXIT.OK;
}

/**
 * The file system's refusals (a folder that is a file, no permission, a full disk) are failures with the
 * system's own words (exit 1). This tool never talks to a chain, so nothing may reach runCli's fallback,
 * which would first build the contracts' module just to explain an error.
 */
async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!(err instanceof CliError) && typeof e.code === "string" && typeof e.syscall === "string") throw new CliError(e.message);
    throw err;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw badInput("missing command (see --help)");
  if (command === "--help" || command === "-h" || command === "help") return help();
  if (command === "register") return register(rest);
  if (command === "cards") return cards(rest);
  if (command === "check-card") return checkCardCommand(rest);
  throw badInput(`unknown command "${command}" (see --help)`);
}

if (import.meta.main) await runCli(() => main(process.argv.slice(2)));
