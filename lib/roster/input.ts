/**
 * Reading and validating a roster CSV (columns: index (optional), beneficiary, amount, village
 * (optional: a public place name for the roster's household list, lib/roster/households.ts)).
 *
 * The whole input is checked before anything is built or written, and every problem is collected,
 * so an official fixes the file in one pass instead of one error per run. Valid rows are stored
 * column-wise in typed arrays (32-byte index, 20-byte beneficiary, 32-byte amount), in input order.
 */
import { CsvReader } from "./csv.ts";
import type { Keccak256 } from "./keccak.ts";
import { CHECKSUM_DEFERRED, addressAsWritten, checksumMatches, parseAddressInto, parseAmountInto, parseIndexInto } from "./fields.ts";
import { readUint256, toHex } from "./bytes.ts";
import { sortRowsByKey } from "./sort.ts";
import { personalDataIn } from "../format/personal-data.ts";

export interface RosterError {
  line: number;
  /** The column name, or "header" / "row" for problems that are not one field's. */
  field: string;
  message: string;
}

export function formatRosterError(file: string, error: RosterError): string {
  return `${file}:${error.line}:${error.field}: ${error.message}`;
}

/** Valid rows, column-wise, in input order. Row r is the r-th data row of the file. */
export interface RosterRows {
  count: number;
  /** count * 32 bytes, big-endian uint256. Row number when the file has no index column. */
  indexes: Uint8Array;
  /** count * 20 bytes. */
  beneficiaries: Uint8Array;
  /** count * 32 bytes, big-endian uint256, base units per tranche. */
  amounts: Uint8Array;
  /** The 1-based line of each row in the file. */
  lines: Uint32Array;
  /** Rows ordered by beneficiary address (for lookups and the proofs file). */
  beneficiaryOrder: Uint32Array;
  hasIndexColumn: boolean;
  totalAmount: bigint;
  /** Each row's village, when the file has a `village` column (published in the household list). */
  villages?: string[];
}

/** A village is a place name for the public household list: short, one line, no personal data. */
export const MAX_VILLAGE_LENGTH = 64;

export type RosterParseResult = { ok: true; rows: RosterRows } | { ok: false; errors: RosterError[] };

export interface RosterParserOptions {
  /** Decimal places of the amount column; 0 (the default) means amounts are integer base units. */
  decimals?: number;
  /**
   * Record mixed-case addresses and check their EIP-55 checksums in finish() instead of while
   * parsing, so that the caller can check them on several threads (see pendingChecksums()).
   */
  deferChecksums?: boolean;
}

/** Rows whose mixed-case address still needs its checksum checked (pending[row] = 1). */
export interface PendingChecksums {
  count: number;
  beneficiaries: Uint8Array;
  /** 5 bytes per row: bit i set = hex digit i was upper case. */
  caseMasks: Uint8Array;
  pending: Uint8Array;
}

/** Errors on one line are listed in column order, however they were found. */
const FIELD_ORDER: Record<string, number> = { header: 0, row: 1, index: 2, beneficiary: 3, amount: 4, village: 5 };

const COLUMNS = ["index", "beneficiary", "amount", "village"] as const;
const OPTIONAL_COLUMNS = new Set<string>(["index", "village"]);

/** Incremental parser: push() text chunks as they stream in, then finish(). */
export class RosterParser {
  private readonly keccak: Keccak256;
  private readonly decimals: number;
  private readonly deferChecksums: boolean;
  private readonly reader: CsvReader;
  private readonly errors: RosterError[] = [];
  private column: Record<string, number> | undefined;
  private headerWidth = 0;
  private headerBroken = false;
  private count = 0;
  private capacity = 0;
  private indexes: Uint8Array = new Uint8Array(0);
  private beneficiaries: Uint8Array = new Uint8Array(0);
  private amounts: Uint8Array = new Uint8Array(0);
  private lines = new Uint32Array(0);
  private villages: string[] = [];
  private caseMasks: Uint8Array = new Uint8Array(0);
  private checksumPending: Uint8Array = new Uint8Array(0);
  /** Rows refused after parsing (a deferred checksum failed): left out of the duplicate checks. */
  private refused: Uint8Array | undefined;
  // Amounts are summed in a double while that stays exact, then folded into the bigint total.
  private smallSum = 0;
  private beneficiaryOrder: Uint32Array | undefined;
  private total = 0n;
  /** Data records read (accepted or not): the roster's size, which its indexes must stay below. */
  private records = 0;

  constructor(keccak: Keccak256, options: RosterParserOptions = {}) {
    this.keccak = keccak;
    this.decimals = options.decimals ?? 0;
    this.deferChecksums = options.deferChecksums ?? false;
    if (!Number.isInteger(this.decimals) || this.decimals < 0 || this.decimals > 77) {
      throw new Error(`decimals must be an integer from 0 to 77, got ${options.decimals}`);
    }
    this.reader = new CsvReader(
      (fields, line) => this.onRecord(fields, line),
      (line, message) => this.errors.push({ line, field: "row", message }),
    );
    this.grow(1024);
  }

  push(text: string): void {
    this.reader.push(text);
  }

  /** Data rows accepted so far. */
  get rowCount(): number {
    return this.count;
  }

  /** With deferChecksums: the rows whose checksum finish() would check. Call after the last push(). */
  pendingChecksums(): PendingChecksums {
    this.reader.end();
    return { count: this.count, beneficiaries: this.beneficiaries, caseMasks: this.caseMasks, pending: this.checksumPending };
  }

  /**
   * Ends the input and returns the rows, or every error found. With deferChecksums, `checksumFailures`
   * (failures[row] = 1, as computed from pendingChecksums()) saves finish() from checking them itself.
   */
  finish(checksumFailures?: Uint8Array): RosterParseResult {
    const lastLine = this.reader.end();
    if (this.deferChecksums) this.reportChecksums(checksumFailures ?? checkPendingChecksums(this.pendingChecksums(), 0, this.count, this.keccak));
    if (this.column === undefined && !this.headerBroken) {
      this.errors.push({ line: Math.max(1, lastLine), field: "header", message: "empty file: expected a header line" });
    } else if (this.column !== undefined && this.count === 0 && this.errors.length === 0) {
      this.errors.push({ line: Math.max(1, lastLine), field: "row", message: "no rows after the header" });
    }
    this.checkDuplicates();
    this.checkIndexRange();
    if (this.errors.length > 0) {
      this.errors.sort((a, b) => a.line - b.line || FIELD_ORDER[a.field] - FIELD_ORDER[b.field]);
      return { ok: false, errors: this.errors };
    }
    const n = this.count;
    return {
      ok: true,
      rows: {
        count: n,
        // Views, not copies: a copy would double the peak memory for a moment.
        indexes: this.indexes.subarray(0, n * 32),
        beneficiaries: this.beneficiaries.subarray(0, n * 20),
        amounts: this.amounts.subarray(0, n * 32),
        lines: this.lines.subarray(0, n),
        beneficiaryOrder: this.beneficiaryOrder ?? sortRowsByKey(this.beneficiaries, 20, 0, 20, n),
        hasIndexColumn: this.column!.index >= 0,
        totalAmount: this.total + BigInt(this.smallSum),
        ...(this.column!.village >= 0 && { villages: this.villages.slice(0, n) }),
      },
    };
  }

  private onRecord(fields: string[], line: number): void {
    if (this.column === undefined) {
      if (!this.headerBroken) this.onHeader(fields, line);
      return;
    }
    this.records++;
    if (fields.length !== this.headerWidth) {
      this.errors.push({ line, field: "row", message: `expected ${this.headerWidth} fields, found ${fields.length}` });
      return;
    }
    if (this.count === this.capacity) this.grow(this.capacity * 2);
    const row = this.count;
    const { index, beneficiary, amount } = this.column;
    let valid = true;
    const fail = (field: string, message: string | undefined): void => {
      if (message === undefined) return;
      this.errors.push({ line, field, message });
      valid = false;
    };
    if (index >= 0) fail("index", parseIndexInto(fields[index], this.indexes, row * 32));
    const deferTo = this.deferChecksums ? { caseMasks: this.caseMasks, at: row * 5 } : undefined;
    const address = parseAddressInto(fields[beneficiary], this.beneficiaries, row * 20, this.keccak, deferTo);
    const checksumPending = address === CHECKSUM_DEFERRED;
    if (!checksumPending) fail("beneficiary", address);
    fail("amount", parseAmountInto(fields[amount], this.decimals, this.amounts, row * 32));
    if (this.column.village >= 0) {
      const village = fields[this.column.village];
      fail("village", checkVillage(village));
      this.villages[row] = village;
    }
    if (!valid) {
      // A refused row is not kept for later, so a deferred checksum of it is checked here and now.
      if (checksumPending && !checksumMatches(this.beneficiaries, row * 20, this.caseMasks, row * 5, this.keccak)) {
        this.errors.push({ line, field: "beneficiary", message: `bad address checksum: ${fields[beneficiary]}` });
      }
      return;
    }
    if (index < 0) {
      // Default index: the row's position among the data rows, as the contract's claimed bitmap expects.
      this.indexes.fill(0, row * 32, row * 32 + 32);
      const p = row * 32 + 28;
      this.indexes[p] = row >>> 24;
      this.indexes[p + 1] = (row >>> 16) & 255;
      this.indexes[p + 2] = (row >>> 8) & 255;
      this.indexes[p + 3] = row & 255;
    }
    if (this.deferChecksums) this.checksumPending[row] = checksumPending ? 1 : 0;
    this.addToTotal(row);
    this.lines[row] = line;
    this.count++;
  }

  private onHeader(fields: string[], line: number): void {
    const names = fields.map((f) => f.toLowerCase());
    const column: Record<string, number> = {};
    for (const name of COLUMNS) column[name] = names.indexOf(name);
    let broken = false;
    for (const name of COLUMNS) {
      if (!OPTIONAL_COLUMNS.has(name) && column[name] < 0) {
        this.errors.push({ line, field: name, message: `missing column "${name}" (header: ${fields.join(",")})` });
        broken = true;
      }
      if (column[name] >= 0 && names.lastIndexOf(name) !== column[name]) {
        this.errors.push({ line, field: name, message: `column "${name}" appears more than once` });
        broken = true;
      }
    }
    // Without a usable header no row can be read; stop instead of reporting every row.
    if (broken) this.headerBroken = true;
    else {
      this.column = column;
      this.headerWidth = fields.length;
    }
  }

  private addToTotal(row: number): void {
    const p = row * 32;
    let small = true;
    for (let i = 0; i < 25; i++) {
      if (this.amounts[p + i] !== 0) {
        small = false;
        break;
      }
    }
    // 7 low bytes (< 2^56) would overflow a double's exact range; require the top bit of byte 25 clear (< 2^53).
    if (small && this.amounts[p + 25] < 0x20) {
      let v = 0;
      for (let i = 25; i < 32; i++) v = v * 256 + this.amounts[p + i];
      this.smallSum += v;
      if (this.smallSum > 2 ** 52) {
        this.total += BigInt(this.smallSum);
        this.smallSum = 0;
      }
    } else {
      this.total += readUint256(this.amounts, p);
    }
  }

  private reportChecksums(failures: Uint8Array): void {
    for (let row = 0; row < this.count; row++) {
      if (!failures[row]) continue;
      const text = addressAsWritten(this.beneficiaries, row * 20, this.caseMasks, row * 5);
      this.errors.push({ line: this.lines[row], field: "beneficiary", message: `bad address checksum: ${text}` });
    }
    this.refused = failures;
  }

  /** Duplicate beneficiaries and indexes: sort the rows by each key and compare neighbours. */
  private checkDuplicates(): void {
    const n = this.count;
    if (n < 2) return;
    const reportDuplicates = (bytes: Uint8Array, width: number, prefixOffset: number, field: string, show: (row: number) => string): Uint32Array => {
      const order = sortRowsByKey(bytes, width, 0, width, n, prefixOffset);
      let first = -1;
      for (let i = 0; i < n; i++) {
        const row = order[i];
        if (this.refused?.[row]) continue;
        if (first < 0) {
          first = row;
          continue;
        }
        let same = true;
        for (let k = 0; k < width; k++) {
          if (bytes[row * width + k] !== bytes[first * width + k]) {
            same = false;
            break;
          }
        }
        if (same) {
          this.errors.push({ line: this.lines[row], field, message: `duplicate ${field} ${show(row)} (first at line ${this.lines[first]})` });
        } else first = row;
      }
      return order;
    };
    this.beneficiaryOrder = reportDuplicates(this.beneficiaries, 20, 0, "beneficiary", (row) => toHex(this.beneficiaries, row * 20, 20));
    // Default indexes are distinct by construction.
    if (this.column!.index >= 0) {
      reportDuplicates(this.indexes, 32, 28, "index", (row) => readUint256(this.indexes, row * 32).toString());
    }
  }

  /**
   * A programme pays only indexes below the leaf count it was published with (docs/DECISIONS.md E15), so a
   * roster of n rows must be numbered 0..n-1: a 1-based or ID-keyed file would be approved and frozen with
   * households that can never claim. Distinct indexes (checked above) all below n are exactly 0..n-1.
   */
  private checkIndexRange(): void {
    if (this.column?.index === undefined || this.column.index < 0) return;
    const n = this.records;
    for (let row = 0; row < this.count; row++) {
      if (this.refused?.[row]) continue;
      const p = row * 32;
      let high = false;
      for (let i = 0; i < 26 && !high; i++) high = this.indexes[p + i] !== 0;
      let value = 0;
      if (!high) for (let i = 26; i < 32; i++) value = value * 256 + this.indexes[p + i];
      if (high || value >= n) {
        this.errors.push({
          line: this.lines[row],
          field: "index",
          message: `index ${readUint256(this.indexes, p)} is out of range: a roster of ${n} row(s) is numbered 0 to ${n - 1} (the programme pays only indexes below its leaf count; number households from 0, or leave the index column out)`,
        });
      }
    }
  }

  private grow(capacity: number): void {
    const grown = (old: Uint8Array, width: number): Uint8Array => {
      const next = new Uint8Array(capacity * width);
      next.set(old);
      return next;
    };
    this.indexes = grown(this.indexes, 32);
    this.beneficiaries = grown(this.beneficiaries, 20);
    this.amounts = grown(this.amounts, 32);
    if (this.deferChecksums) {
      this.caseMasks = grown(this.caseMasks, 5);
      this.checksumPending = grown(this.checksumPending, 1);
    }
    const lines = new Uint32Array(capacity);
    lines.set(this.lines);
    this.lines = lines;
    this.capacity = capacity;
  }
}

/** Why a village label cannot be published, or undefined. Empty is allowed (village unknown). */
export function checkVillage(village: string): string | undefined {
  if (village.length > MAX_VILLAGE_LENGTH) return `village longer than ${MAX_VILLAGE_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(village)) return "village contains a control character";
  const personal = personalDataIn(village);
  // The list is public: a column that carries names' phone or ID numbers must never be published.
  if (personal) return `village looks like personal data (${personal}); the household list is public: give a place name only`;
  return undefined;
}

/** Checks the pending checksums of rows [from, to); returns failures[row] = 1 (sized for all rows). */
export function checkPendingChecksums(
  batch: PendingChecksums,
  from: number,
  to: number,
  keccak: Keccak256,
  failures: Uint8Array = new Uint8Array(batch.count),
): Uint8Array {
  for (let row = from; row < to; row++) {
    if (batch.pending[row] && !checksumMatches(batch.beneficiaries, row * 20, batch.caseMasks, row * 5, keccak)) failures[row] = 1;
  }
  return failures;
}
