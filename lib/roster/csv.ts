/**
 * A streaming CSV reader for roster files: feed it text chunks, it calls back once per record with
 * the 1-based line number, so every error can be reported as file:line:field.
 *
 * It accepts what spreadsheets export: a UTF-8 BOM, CRLF or LF line ends, blank lines (skipped),
 * whitespace around fields (trimmed) and RFC 4180 double-quoted fields ("" is a literal quote). A
 * quoted field may not span lines: no roster field can legitimately contain a line break.
 */
export type CsvRecordHandler = (fields: string[], line: number) => void;
export type CsvErrorHandler = (line: number, message: string) => void;

/** No roster line comes near this; anything longer is reported and skipped. */
export const MAX_LINE = 1 << 16;

export class CsvReader {
  private carry = "";
  private line = 0;
  private started = false;
  private skipping = false;
  private readonly onRecord: CsvRecordHandler;
  private readonly onError: CsvErrorHandler;

  constructor(onRecord: CsvRecordHandler, onError: CsvErrorHandler) {
    this.onRecord = onRecord;
    this.onError = onError;
  }

  /** Feeds the next piece of text; a record split across chunks is completed by the next call. */
  push(text: string): void {
    let chunk = this.carry + text;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (;;) {
      const end = chunk.indexOf("\n", start);
      if (end < 0) break;
      if (this.skipping) this.skipping = false; // the rest of an over-long line, already reported
      else this.record(chunk, start, end);
      start = end + 1;
    }
    this.carry = chunk.slice(start);
    // A "line" that never ends (a binary file, a one-line dump) would make every push rescan it.
    if (this.carry.length > MAX_LINE) {
      if (!this.skipping) {
        this.line++;
        this.onError(this.line, `line longer than ${MAX_LINE} characters`);
        this.skipping = true;
      }
      this.carry = "";
    }
  }

  /** Flushes the last line (a file need not end with a newline). Returns the number of lines seen. */
  end(): number {
    if (this.carry.length > 0 && !this.skipping) this.record(this.carry, 0, this.carry.length);
    this.carry = "";
    return this.line;
  }

  private record(chunk: string, start: number, end: number): void {
    this.line++;
    if (end - start > MAX_LINE) {
      this.onError(this.line, `line longer than ${MAX_LINE} characters`);
      return;
    }
    let text = chunk.slice(start, end);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    if (text.indexOf('"') < 0) {
      const fields = text.split(",");
      for (let i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
      this.onRecord(fields, this.line);
      return;
    }
    const fields = splitQuoted(text);
    if (typeof fields === "string") this.onError(this.line, fields);
    else this.onRecord(fields, this.line);
  }
}

/** Splits a line that contains quotes; returns an error message for malformed quoting. */
function splitQuoted(text: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close < 0) return "unterminated quoted field";
        value += text.slice(i, close);
        if (text[close + 1] === '"') {
          value += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
      while (text[i] === " " || text[i] === "\t") i++;
      if (i < text.length && text[i] !== ",") return "unexpected text after a quoted field";
      fields.push(value.trim());
    } else {
      const comma = text.indexOf(",", i);
      const raw = comma < 0 ? text.slice(i) : text.slice(i, comma);
      if (raw.includes('"')) return "a quote inside an unquoted field";
      fields.push(raw.trim());
      i = comma < 0 ? text.length : comma;
    }
    if (i >= text.length) return fields;
    i++; // the comma
  }
}
