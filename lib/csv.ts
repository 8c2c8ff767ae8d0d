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
import { getAddress, isHexString } from "ethers";
import { CONDITION_BY_ID, conditionId } from "./conditions.ts";

export const CSV_COLUMNS = ["commitment_or_address", "condition", "expiry", "evidence_hash", "score"] as const;
type Column = (typeof CSV_COLUMNS)[number];
const REQUIRED: Column[] = ["commitment_or_address", "condition", "expiry", "evidence_hash"];
const UINT40_MAX = 2 ** 40 - 1;

export interface CsvIssue {
  file: string;
  line: number;
  field: string;
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

function parseExpiry(raw: string): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw);
  // Dates only (YYYY-MM-DD) mean midnight UTC, so the same file means the same thing in every timezone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) raw += "T00:00:00Z";
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function knownConditions(extra: string[] = []): Map<string, string | undefined> {
  const known = new Map<string, string | undefined>(Object.entries(CONDITION_BY_ID));
  for (const c of extra) {
    if (isHexString(c, 32)) known.set(c.toLowerCase(), undefined);
    else known.set(conditionId(c).toLowerCase(), c);
  }
  return known;
}

/** Validates CSV text. Never throws on bad input: every problem becomes an issue. */
export function validateAttestationCsv(text: string, file: string, o: ValidateOptions): ValidationResult {
  const issues: CsvIssue[] = [];
  const issue = (line: number, field: string, message: string) => issues.push({ file, line, field, message });

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { lines?: number; message: string };
    issue(e.lines ?? 1, "-", `not valid CSV: ${e.message}`);
    return { rows: [], issues };
  }
  if (records.length === 0) {
    issue(1, "-", "the file is empty; a header row is required: " + CSV_COLUMNS.join(","));
    return { rows: [], issues };
  }

  const header = records[0].record.map((h) => h.toLowerCase());
  const headerLine = records[0].info.lines;
  const index: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    if ((CSV_COLUMNS as readonly string[]).includes(h)) {
      if (index[h as Column] !== undefined) issue(headerLine, h, "column appears twice");
      index[h as Column] = i;
    } else {
      issue(headerLine, h || `column ${i + 1}`, `unknown column (expected: ${CSV_COLUMNS.join(", ")})`);
    }
  });
  for (const c of REQUIRED) if (index[c] === undefined) issue(headerLine, c, "required column is missing");
  // Without the required columns no row can be read meaningfully; stop after the header problems.
  if (REQUIRED.some((c) => index[c] === undefined)) return { rows: [], issues };

  const known = knownConditions(o.extraConditions);
  const rows: AttestationRow[] = [];
  const firstSeen = new Map<string, number>();

  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const get = (c: Column) => (index[c] === undefined ? "" : (record[index[c]!] ?? "").trim());
    if (record.length !== header.length) {
      issue(line, "-", `has ${record.length} fields but the header has ${header.length}`);
      continue;
    }
    let ok = true;
    const fail = (field: Column, message: string) => {
      issue(line, field, message);
      ok = false;
    };

    // commitment_or_address
    const subject = get("commitment_or_address");
    let subjectKind: AttestationRow["subjectKind"] = "commitment";
    let normalized = subject.toLowerCase();
    if (isHexString(subject, 32)) {
      if (/^0x0{64}$/i.test(subject)) fail("commitment_or_address", "the zero commitment is not a household");
    } else if (/^0x[0-9a-fA-F]{40}$/.test(subject)) {
      subjectKind = "address";
      try {
        normalized = getAddress(subject).toLowerCase(); // rejects a wrong mixed-case checksum
      } catch {
        fail("commitment_or_address", `"${subject}" has an invalid address checksum (a typo?)`);
      }
    } else {
      fail(
        "commitment_or_address",
        subject === ""
          ? "missing: give the household's commitment (0x + 64 hex) or its bound address (0x + 40 hex)"
          : `"${subject}" is neither a commitment (0x + 64 hex) nor an address (0x + 40 hex)`,
      );
    }

    // condition
    const conditionRaw = get("condition");
    let condition = "";
    let conditionName: string | undefined;
    if (conditionRaw === "") fail("condition", "missing");
    else if (conditionRaw.startsWith("0x")) {
      if (!isHexString(conditionRaw, 32)) fail("condition", `"${conditionRaw}" is not a bytes32 id (0x + 64 hex)`);
      else if (!known.has(conditionRaw.toLowerCase())) fail("condition", `unknown condition id ${conditionRaw}`);
      else {
        condition = conditionRaw.toLowerCase();
        conditionName = known.get(condition);
      }
    } else {
      const cid = conditionId(conditionRaw).toLowerCase();
      if (!known.has(cid)) fail("condition", `unknown condition "${conditionRaw}"`);
      else {
        condition = cid;
        conditionName = conditionRaw;
      }
    }

    // expiry
    const expiryRaw = get("expiry");
    const expiry = expiryRaw === "" ? undefined : parseExpiry(expiryRaw);
    if (expiryRaw === "") fail("expiry", "missing");
    else if (expiry === undefined) fail("expiry", `"${expiryRaw}" is neither an ISO date nor unix seconds`);
    else if (expiry > UINT40_MAX) fail("expiry", `${expiryRaw} is too far in the future`);
    else if (expiry <= o.now)
      fail("expiry", `${expiryRaw} is not in the future (chain time is ${new Date(o.now * 1000).toISOString()})`);

    // evidence_hash
    const evidence = get("evidence_hash");
    if (!isHexString(evidence, 32)) fail("evidence_hash", evidence === "" ? "missing" : `"${evidence}" is not a bytes32 hash (0x + 64 hex)`);

    // score
    const scoreRaw = get("score");
    const score = scoreRaw === "" ? 0 : Number(scoreRaw);
    if (!/^\d*$/.test(scoreRaw) || score > 65535) fail("score", `"${scoreRaw}" is not an integer from 0 to 65535`);

    if (!ok) continue;
    const key = `${normalized}|${condition}`;
    const first = firstSeen.get(key);
    if (first !== undefined) {
      issue(line, "commitment_or_address", `duplicate of line ${first} (same household and condition)`);
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
  if (rows.length === 0 && issues.length === 0) issue(headerLine, "-", "the file has a header but no rows");
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
        issues.push({ file, line: row.line, field: "commitment_or_address", message: `${row.subject} is not bound to any household` });
        continue;
      }
      row.commitment = c;
    }
    const key = `${row.commitment}|${row.conditionId}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({ file, line: row.line, field: "commitment_or_address", message: `duplicate of line ${first} (same household and condition)` });
    } else seen.set(key, row.line);
  }
  return issues;
}
