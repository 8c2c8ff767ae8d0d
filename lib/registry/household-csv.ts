/**
 * The households file a county's office registers from (`npm run household -- register --in <file>`):
 * one row per household, checked whole before anything is written, every problem reported as
 * `file:line:field: message` (lib/format/csv-table.ts).
 *
 * Columns (header row required, any order, other columns refused):
 *   reference   the county's own reference for the household (letters of any script, digits, and
 *               " _ . / -" inside; at most 64 characters); unique in the file and the register
 *   id_number   the household's ID number, normalised and checked by its kind (lib/registry/household.ts)
 *   account     the household's account (0x + 40 hex; a mixed-case address must carry a valid checksum)
 *   id_kind     optional: cn-ric (the default, also when empty) or local
 *
 * No two rows may share an ID number (after normalisation) or an account.
 */
import { getAddress, isAddress, type Address } from "viem";
import { TABLE_ISSUE_PARAMS, readCsvTable, type CsvIssue } from "../format/csv-table.ts";
import { DEFAULT_ID_KIND, ID_KINDS, normaliseIdNumber, type HouseholdIdentity } from "./household.ts";

export const HOUSEHOLD_CSV_COLUMNS = ["reference", "id_number", "account", "id_kind"] as const;
export type HouseholdColumn = (typeof HOUSEHOLD_CSV_COLUMNS)[number];
const REQUIRED: HouseholdColumn[] = ["reference", "id_number", "account"];

export const REFERENCE_MAX_LENGTH = 64;
/** Starts with a letter or digit (so no spreadsheet reads it as a formula), then letters, digits, marks and " _ . / -". */
const REFERENCE = new RegExp(`^[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M} _./-]{0,${REFERENCE_MAX_LENGTH - 1}}$`, "u");

/** Every kind of problem of a households file, with the parameters its sentence uses. */
export const HOUSEHOLD_CSV_ISSUE_PARAMS = {
  ...TABLE_ISSUE_PARAMS,
  missing: [],
  referenceInvalid: ["value", "max"],
  duplicateReference: ["first"],
  idKindUnknown: ["value", "kinds"],
  idInvalid: ["problem"],
  duplicateId: ["first"],
  accountInvalid: ["value"],
  accountChecksum: ["value"],
  accountZero: [],
  duplicateAccount: ["first"],
} as const satisfies Record<string, readonly string[]>;
export type HouseholdCsvIssueCode = keyof typeof HOUSEHOLD_CSV_ISSUE_PARAMS;
export type HouseholdCsvIssue = CsvIssue<HouseholdCsvIssueCode>;

/** One household as the file gives it, normalised. */
export interface HouseholdRow extends HouseholdIdentity {
  line: number;
  reference: string;
  account: Address;
}

/** The key that says two rows name the same person: kind and normalised number. */
export const identityKey = (id: HouseholdIdentity) => `${id.idKind}:${id.idNumber}`;

/** Why a reference is refused, or undefined. */
export function referenceProblem(reference: string): string | undefined {
  if (reference === "") return "missing";
  if (!REFERENCE.test(reference))
    return `"${reference}" is not a reference: start with a letter or digit; then letters, digits, spaces and _ . / - only; at most ${REFERENCE_MAX_LENGTH} characters`;
  return undefined;
}

export interface HouseholdCsvOptions {
  /** "Now", for the birth-date check of resident ID numbers (default: the clock). */
  now?: Date;
  /** Called every so often while rows are checked. */
  onProgress?: (done: number, total: number) => void;
}

/** Validates a households file. Never throws on bad input: every problem becomes an issue. */
export function validateHouseholdCsv(text: string, file: string, o: HouseholdCsvOptions = {}): { rows: HouseholdRow[]; issues: HouseholdCsvIssue[] } {
  const table = readCsvTable(text, file, { columns: HOUSEHOLD_CSV_COLUMNS, required: REQUIRED });
  const issues: HouseholdCsvIssue[] = [...table.issues];
  const rows: HouseholdRow[] = [];
  if (!table.readable) return { rows, issues };

  const firstReference = new Map<string, number>();
  const firstIdentity = new Map<string, number>();
  const firstAccount = new Map<string, number>();
  for (const [n, { line, get }] of table.records.entries()) {
    let ok = true;
    const fail = (field: HouseholdColumn, code: HouseholdCsvIssueCode, message: string, params: HouseholdCsvIssue["params"] = {}) => {
      issues.push({ file, line, field, code, params, message });
      ok = false;
    };

    const reference = get("reference");
    const refProblem = referenceProblem(reference);
    if (refProblem === "missing") fail("reference", "missing", "missing");
    else if (refProblem) fail("reference", "referenceInvalid", refProblem, { value: reference, max: REFERENCE_MAX_LENGTH });

    const kindRaw = get("id_kind");
    const id = normaliseIdNumber(get("id_number"), kindRaw === "" ? DEFAULT_ID_KIND : kindRaw, { now: o.now });
    if (!id.ok) {
      if (id.problem.code === "kindUnknown") fail("id_kind", "idKindUnknown", id.problem.message, { value: kindRaw, kinds: ID_KINDS.join(", ") });
      else if (id.problem.code === "missing") fail("id_number", "missing", "missing");
      else fail("id_number", "idInvalid", id.problem.message, { problem: id.problem.code });
    }

    const accountRaw = get("account");
    if (accountRaw === "") fail("account", "missing", "missing: the household's account (0x + 40 hex)");
    else if (!/^0x[0-9a-fA-F]{40}$/.test(accountRaw)) fail("account", "accountInvalid", `"${accountRaw}" is not an address (0x + 40 hex)`, { value: accountRaw });
    // A mixed-case address carries an EIP-55 checksum: a wrong one is a typo.
    else if (!isAddress(accountRaw, { strict: true })) fail("account", "accountChecksum", `"${accountRaw}" has an invalid address checksum (a typo?)`, { value: accountRaw });
    else if (/^0x0{40}$/.test(accountRaw)) fail("account", "accountZero", "the zero address is nobody's account");

    // Duplicates are checked among the rows whose own fields are good, each against the first line.
    const duplicate = (seen: Map<string, number>, key: string, field: HouseholdColumn, code: HouseholdCsvIssueCode, what: string) => {
      const first = seen.get(key);
      if (first !== undefined) fail(field, code, `duplicate of line ${first} (same ${what})`, { first });
      else seen.set(key, line);
    };
    if (!refProblem) duplicate(firstReference, reference, "reference", "duplicateReference", "reference");
    if (id.ok) duplicate(firstIdentity, identityKey(id), "id_number", "duplicateId", "ID number");
    if (/^0x[0-9a-fA-F]{40}$/.test(accountRaw) && isAddress(accountRaw, { strict: true }))
      duplicate(firstAccount, accountRaw.toLowerCase(), "account", "duplicateAccount", "account");

    if (ok && id.ok) rows.push({ line, reference, idKind: id.idKind, idNumber: id.idNumber, account: getAddress(accountRaw) });
    if (o.onProgress && (n % 1000 === 999 || n === table.records.length - 1)) o.onProgress(n + 1, table.records.length);
  }
  issues.sort((a, b) => a.line - b.line);
  return { rows, issues };
}
