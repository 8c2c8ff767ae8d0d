/**
 * Validation of the attestation CSV officials send through `attest`. The whole file is checked before
 * anything is sent, and every problem is reported (not just the first) as `file:line:field: message`,
 * so a village round can be fixed in one pass.
 *
 * Columns (header row required, any order, extra columns refused):
 *   commitment_or_address  0x + 64 hex (a household commitment) or an address bound to one
 *   condition              a catalogue name (e.g. household.income-below-line, hashed with keccak256) or a 0x bytes32 id
 *   expiry                 ISO date (2027-06-30, 2027-06-30T00:00:00Z) or unix seconds; must be in the future
 *   evidence_hash          0x + 64 hex: hash of the evidence file kept off chain
 *   score                  optional integer 0..65535 (0 = none)
 */
import { parse } from "csv-parse/sync";
import { getAddress, isAddress } from "viem";
import { RELATIVE_TIME, parseTime } from "../format/time.ts";
import { CONDITION_BY_ID, conditionId } from "./conditions.ts";

const isBytes32 = (v: string) => /^0x[0-9a-fA-F]{64}$/.test(v);

export const CSV_COLUMNS = ["commitment_or_address", "condition", "expiry", "evidence_hash", "score"] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ["commitment_or_address", "condition", "expiry", "evidence_hash"];
const UINT40_MAX = 2 ** 40 - 1;

/**
 * Every kind of problem, with the parameters its sentence may use. The English `message` is for the CLI;
 * the dApp renders `csv.<code>` from its catalogues with `params` (test/web/csv.ts checks both languages).
 */
export const CSV_ISSUE_PARAMS = {
  invalidCsv: ["detail"],
  empty: ["columns"],
  duplicateColumn: [],
  unknownColumn: ["columns"],
  missingColumn: [],
  fieldCount: ["got", "want"],
  zeroCommitment: [],
  badChecksum: ["value"],
  subjectMissing: [],
  subjectInvalid: ["value"],
  missing: [],
  conditionIdInvalid: ["value"],
  conditionIdUnknown: ["value"],
  conditionUnknown: ["value"],
  expiryInvalid: ["value"],
  expiryTooFar: ["value"],
  expiryPast: ["value", "now"],
  evidenceInvalid: ["value"],
  scoreInvalid: ["value"],
  duplicate: ["first"],
  noRows: [],
  unbound: ["value"],
} as const satisfies Record<string, readonly string[]>;
export type CsvIssueCode = keyof typeof CSV_ISSUE_PARAMS;
export const CSV_ISSUE_CODES = Object.keys(CSV_ISSUE_PARAMS) as CsvIssueCode[];

export interface CsvIssue {
  file: string;
  line: number;
  field: string;
  /** Stable kind of problem (see CSV_ISSUE_PARAMS). */
  code: CsvIssueCode;
  /** The values its sentence uses; `now` is chain time as an ISO string (UTC). */
  params: Record<string, string | number>;
  /** English, for the CLI. */
  message: string;
}

export const formatIssue = (i: CsvIssue) => `${i.file}:${i.line}:${i.field}: ${i.message}`;

export interface AttestationRow {
  line: number;
  /** As written: a commitment, or an address still to be resolved to its commitment. */
  subject: string;
  subjectKind: "commitment" | "address";
  /** Filled for commitments at once, for addresses by resolveSubjects(). */
  commitment?: string;
  conditionId: string;
  conditionName?: string;
  expiry: number;
  evidenceHash: string;
  score: number;
}

export interface ValidateOptions {
  /** Chain time (unix seconds): expiries must be strictly later (half-open rule: valid while now < expiry). */
  now: number;
  /** Condition names or ids accepted on top of the catalogue (a project's own conditions). */
  extraConditions?: string[];
}

export interface ValidationResult {
  rows: AttestationRow[];
  issues: CsvIssue[];
}

/** Unix seconds or an ISO date (midnight UTC) or date-time with its zone; never relative to now. */
const parseExpiry = (raw: string): number | undefined => (RELATIVE_TIME.test(raw.trim()) ? undefined : parseTime(raw));

function knownConditions(extra: string[] = []): Map<string, string | undefined> {
  const known = new Map<string, string | undefined>(Object.entries(CONDITION_BY_ID));
  for (const c of extra) {
    if (isBytes32(c)) known.set(c.toLowerCase(), undefined);
    else known.set(conditionId(c).toLowerCase(), c);
  }
  return known;
}

/** Validates CSV text. Never throws on bad input: every problem becomes an issue. */
export function validateAttestationCsv(text: string, file: string, o: ValidateOptions): ValidationResult {
  const issues: CsvIssue[] = [];
  const issue = (line: number, field: string, code: CsvIssueCode, message: string, params: CsvIssue["params"] = {}) =>
    issues.push({ file, line, field, code, params, message });

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    issue(e.lines ?? 1, "-", "invalidCsv", `not valid CSV: ${e.message}`, { detail: e.message });
    return { rows: [], issues };
  }
  if (records.length === 0) {
    issue(1, "-", "empty", "the file is empty; a header row is required: " + CSV_COLUMNS.join(","), { columns: CSV_COLUMNS.join(",") });
    return { rows: [], issues };
  }

  const header = records[0].record.map((h) => h.toLowerCase());
  const headerLine = records[0].info.lines;
  const index: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    if ((CSV_COLUMNS as readonly string[]).includes(h)) {
      if (index[h as Column] !== undefined) issue(headerLine, h, "duplicateColumn", "column appears twice");
      index[h as Column] = i;
    } else {
      issue(headerLine, h || `column ${i + 1}`, "unknownColumn", `unknown column (expected: ${CSV_COLUMNS.join(", ")})`, {
        columns: CSV_COLUMNS.join(", "),
      });
    }
  });
  for (const c of REQUIRED) if (index[c] === undefined) issue(headerLine, c, "missingColumn", "required column is missing");
  // Without the required columns no row can be read meaningfully; stop after the header problems.
  if (REQUIRED.some((c) => index[c] === undefined)) return { rows: [], issues };

  const known = knownConditions(o.extraConditions);
  const rows: AttestationRow[] = [];
  const firstSeen = new Map<string, number>();

  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const get = (c: Column) => (index[c] === undefined ? "" : (record[index[c]!] ?? "").trim());
    if (record.length !== header.length) {
      issue(line, "-", "fieldCount", `has ${record.length} fields but the header has ${header.length}`, {
        got: record.length,
        want: header.length,
      });
      continue;
    }
    let ok = true;
    const fail = (field: Column, code: CsvIssueCode, message: string, params?: CsvIssue["params"]) => {
      issue(line, field, code, message, params);
      ok = false;
    };

    // commitment_or_address
    const subject = get("commitment_or_address");
    let subjectKind: AttestationRow["subjectKind"] = "commitment";
    let normalized = subject.toLowerCase();
    if (isBytes32(subject)) {
      if (/^0x0{64}$/i.test(subject)) fail("commitment_or_address", "zeroCommitment", "the zero commitment is not a household");
    } else if (/^0x[0-9a-fA-F]{40}$/.test(subject)) {
      subjectKind = "address";
      // A mixed-case address carries an EIP-55 checksum: a wrong one is a typo.
      if (isAddress(subject, { strict: true })) normalized = subject.toLowerCase();
      else fail("commitment_or_address", "badChecksum", `"${subject}" has an invalid address checksum (a typo?)`, { value: subject });
    } else {
      if (subject === "")
        fail(
          "commitment_or_address",
          "subjectMissing",
          "missing: give the household's commitment (0x + 64 hex) or its bound address (0x + 40 hex)",
        );
      else
        fail(
          "commitment_or_address",
          "subjectInvalid",
          `"${subject}" is neither a commitment (0x + 64 hex) nor an address (0x + 40 hex)`,
          { value: subject },
        );
    }

    // condition
    const conditionRaw = get("condition");
    let condition = "";
    let conditionName: string | undefined;
    if (conditionRaw === "") fail("condition", "missing", "missing");
    else if (conditionRaw.startsWith("0x")) {
      if (!isBytes32(conditionRaw)) fail("condition", "conditionIdInvalid", `"${conditionRaw}" is not a bytes32 id (0x + 64 hex)`, { value: conditionRaw });
      else if (!known.has(conditionRaw.toLowerCase())) fail("condition", "conditionIdUnknown", `unknown condition id ${conditionRaw}`, { value: conditionRaw });
      else {
        condition = conditionRaw.toLowerCase();
        conditionName = known.get(condition);
      }
    } else {
      const cid = conditionId(conditionRaw).toLowerCase();
      if (!known.has(cid)) fail("condition", "conditionUnknown", `unknown condition "${conditionRaw}"`, { value: conditionRaw });
      else {
        condition = cid;
        conditionName = conditionRaw;
      }
    }

    // expiry
    const expiryRaw = get("expiry");
    const expiry = expiryRaw === "" ? undefined : parseExpiry(expiryRaw);
    if (expiryRaw === "") fail("expiry", "missing", "missing");
    else if (expiry === undefined) fail("expiry", "expiryInvalid", `"${expiryRaw}" is neither an ISO date nor unix seconds`, { value: expiryRaw });
    else if (expiry > UINT40_MAX) fail("expiry", "expiryTooFar", `${expiryRaw} is too far in the future`, { value: expiryRaw });
    else if (expiry <= o.now) {
      const now = new Date(o.now * 1000).toISOString();
      fail("expiry", "expiryPast", `${expiryRaw} is not in the future (chain time is ${now})`, { value: expiryRaw, now });
    }

    // evidence_hash
    const evidence = get("evidence_hash");
    if (evidence === "") fail("evidence_hash", "missing", "missing");
    else if (!isBytes32(evidence))
      fail("evidence_hash", "evidenceInvalid", `"${evidence}" is not a bytes32 hash (0x + 64 hex)`, { value: evidence });

    // score
    const scoreRaw = get("score");
    const score = scoreRaw === "" ? 0 : Number(scoreRaw);
    if (!/^\d*$/.test(scoreRaw) || score > 65535) fail("score", "scoreInvalid", `"${scoreRaw}" is not an integer from 0 to 65535`, { value: scoreRaw });

    if (!ok) continue;
    const key = `${normalized}|${condition}`;
    const first = firstSeen.get(key);
    if (first !== undefined) {
      issue(line, "commitment_or_address", "duplicate", `duplicate of line ${first} (same household and condition)`, { first });
      continue;
    }
    firstSeen.set(key, line);
    rows.push({
      line,
      subject: subjectKind === "address" ? getAddress(subject) : subject.toLowerCase(),
      subjectKind,
      commitment: subjectKind === "commitment" ? subject.toLowerCase() : undefined,
      conditionId: condition,
      conditionName,
      expiry: expiry!,
      evidenceHash: evidence.toLowerCase(),
      score,
    });
  }
  if (rows.length === 0 && issues.length === 0) issue(headerLine, "-", "noRows", "the file has a header but no rows");
  return { rows, issues };
}

/**
 * Resolves address subjects to their bound commitments (registry.commitmentOf) and re-checks duplicates
 * across the two ways of naming a household. Adds issues rather than throwing.
 */
export async function resolveSubjects(
  rows: AttestationRow[],
  file: string,
  commitmentOf: (account: string) => Promise<string>,
): Promise<CsvIssue[]> {
  const issues: CsvIssue[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (row.subjectKind === "address") {
      const c = (await commitmentOf(row.subject)).toLowerCase();
      if (/^0x0{64}$/.test(c)) {
        issues.push({
          file,
          line: row.line,
          field: "commitment_or_address",
          code: "unbound",
          params: { value: row.subject },
          message: `${row.subject} is not bound to any household`,
        });
        continue;
      }
      row.commitment = c;
    }
    const key = `${row.commitment}|${row.conditionId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        file,
        line: row.line,
        field: "commitment_or_address",
        code: "duplicate",
        params: { first },
        message: `duplicate of line ${first} (same household and condition)`,
      });
    } else seen.set(key, row.line);
  }
  return issues;
}
