/**
 * Reading a CSV file with a header row, the way every CSV of the project is read (the attestation
 * round, the household register's input and the register itself): the whole file at once, every problem
 * kept as `file:line:field: message` rather than thrown, so a file is fixed in one pass. Each file kind
 * then checks its own fields row by row; the problems of the table itself live here, with one set of codes
 * (their sentences for the dApp are `csv.<code>` in messages/*.json).
 */
import { parse } from "csv-parse/sync";

/** The table's own problems, with the parameters their sentences use. */
export const TABLE_ISSUE_PARAMS = {
  invalidCsv: ["detail"],
  empty: ["columns"],
  duplicateColumn: [],
  unknownColumn: ["columns"],
  missingColumn: [],
  fieldCount: ["got", "want"],
  noRows: [],
} as const satisfies Record<string, readonly string[]>;
export type TableIssueCode = keyof typeof TABLE_ISSUE_PARAMS;

export interface CsvIssue<Code extends string = string> {
  file: string;
  line: number;
  /** The column the problem is in, or "-" for the whole row or file. */
  field: string;
  /** Stable kind of problem. */
  code: Code;
  /** The values its sentence uses. */
  params: Record<string, string | number>;
  /** English, for the CLIs. */
  message: string;
}

export const formatIssue = (i: CsvIssue) => `${i.file}:${i.line}:${i.field}: ${i.message}`;

export interface CsvRecord<Column extends string> {
  line: number;
  /** The trimmed value of a column ("" when the file has no such column). */
  get: (column: Column) => string;
}

export interface CsvTable<Column extends string> {
  /** The data rows that have as many fields as the header (the others are issues). */
  records: CsvRecord<Column>[];
  issues: CsvIssue<TableIssueCode>[];
  headerLine: number;
  /** False when the file cannot be read row by row (not CSV, empty, or a required column missing). */
  readable: boolean;
}

export interface CsvTableOptions<Column extends string> {
  /** Every column the file may have, in the order the docs list them. */
  columns: readonly Column[];
  required: readonly Column[];
  /** Lines starting with this character are comments (a file's header notes). */
  comment?: string;
}

/**
 * Parses `text`, checks the header (case-insensitive names; unknown, doubled and missing columns) and
 * the field count of each row. `noRows` is reported only when the file has a header, no rows and no
 * other problem.
 */
export function readCsvTable<Column extends string>(text: string, file: string, o: CsvTableOptions<Column>): CsvTable<Column> {
  const issues: CsvIssue<TableIssueCode>[] = [];
  const issue = (line: number, field: string, code: TableIssueCode, message: string, params: CsvIssue["params"] = {}) =>
    issues.push({ file, line, field, code, params, message });
  const unreadable = (headerLine = 1): CsvTable<Column> => ({ records: [], issues, headerLine, readable: false });

  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      bom: true,
      ...(o.comment ? { comment: o.comment, comment_no_infix: true } : {}),
    }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { code?: string; lines?: number; message: string };
    // An unclosed quote swallows the rest of the file, so the parser reports the last line; the line to
    // fix is the one where the quote opened.
    const opened = e.code === "CSV_QUOTE_NOT_CLOSED" ? unclosedQuoteLine(text) : undefined;
    const detail = opened === undefined ? e.message : 'a quote (") opened on this line is never closed';
    issue(opened ?? e.lines ?? 1, "-", "invalidCsv", `not valid CSV: ${detail}`, { detail });
    return unreadable();
  }
  const columns = o.columns.join(",");
  if (parsed.length === 0) {
    issue(1, "-", "empty", `the file is empty; a header row is required: ${columns}`, { columns });
    return unreadable();
  }

  const header = parsed[0].record.map((h) => h.toLowerCase());
  const headerLine = parsed[0].info.lines;
  const index: Partial<Record<Column, number>> = {};
  header.forEach((h, i) => {
    if ((o.columns as readonly string[]).includes(h)) {
      if (index[h as Column] !== undefined) issue(headerLine, h, "duplicateColumn", "column appears twice");
      index[h as Column] = i;
    } else {
      issue(headerLine, h || `column ${i + 1}`, "unknownColumn", `unknown column (expected: ${o.columns.join(", ")})`, {
        columns: o.columns.join(", "),
      });
    }
  });
  for (const c of o.required) if (index[c] === undefined) issue(headerLine, c, "missingColumn", "required column is missing");
  // Without the required columns no row can be read meaningfully; stop after the header problems.
  if (o.required.some((c) => index[c] === undefined)) return unreadable(headerLine);

  const records: CsvRecord<Column>[] = [];
  for (const { record, info } of parsed.slice(1)) {
    if (record.length !== header.length) {
      issue(info.lines, "-", "fieldCount", `has ${record.length} fields but the header has ${header.length}`, {
        got: record.length,
        want: header.length,
      });
      continue;
    }
    records.push({ line: info.lines, get: (c) => (index[c] === undefined ? "" : (record[index[c]!] ?? "").trim()) });
  }
  if (parsed.length === 1 && issues.length === 0) issue(headerLine, "-", "noRows", "the file has a header but no rows");
  return { records, issues, headerLine, readable: true };
}

/** The line on which the quote that is never closed opened (a doubled quote inside quotes toggles twice). */
function unclosedQuoteLine(text: string): number | undefined {
  let line = 1;
  let openedOn: number | undefined;
  for (const c of text) {
    if (c === "\n") line++;
    else if (c === '"') openedOn = openedOn === undefined ? line : undefined;
  }
  return openedOn;
}
