/**
 * A roster's public household list (issue 9, item 4): `roster.households.csv`, written by `roster build`
 * beside `roster.proofs`, so villagers can find a household by its roster number, pseudonym or village
 * and object to it during the publicity window.
 *
 *   index,beneficiary,amount,village
 *   0,0xbcd4042de499d14e55001ccbb24a551f3b954096,20000000,Danxi village
 *
 * One line per household in roster-number order; `amount` per tranche in base units; `village` from the
 * officials' CSV when it has that column (a place name, checked for personal data by the parser), else
 * empty. Nothing else of the officials' CSV (names, ID numbers) is ever copied into it.
 *
 * The file is not on chain (only the proofs file's sha256 is): the server checks each row it shows
 * against the proofs file and the on-chain root before offering "object" on it (lib/server/rosterHouseholds.ts),
 * so a wrong list can mislabel a village but never make a row look like a household it is not.
 *
 * Pure and browser-safe; the parser is the roster CSV reader (lib/roster/csv.ts).
 */
import { CsvReader } from "./csv.ts";
import type { RosterRows } from "./input.ts";
import { readUint256, toHex } from "./bytes.ts";
import { sortRowsByKey } from "./sort.ts";
import { pseudonym } from "../format/text.ts";

export const HOUSEHOLD_LIST_FILE = "roster.households.csv";
export const HOUSEHOLD_LIST_HEADER = "index,beneficiary,amount,village";

export interface HouseholdListRow {
  index: bigint;
  /** Lower-case 0x address. */
  beneficiary: string;
  amount: bigint;
  village: string;
}

/** A roster household's public name: a pseudonym of its account ("Household K7-Q2" shows "K7-Q2"). */
export const rosterPseudonym = (beneficiary: string) => pseudonym(beneficiary.toLowerCase());

/** A CSV field: quoted when it holds a comma or a quote (RFC 4180, as the reader expects). */
const field = (text: string) => (/[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** The list's text, in pieces of about `rowsPerPiece` lines (a million rows is never one string). */
export function* encodeHouseholdList(rows: RosterRows, rowsPerPiece = 10_000): Generator<string> {
  yield `${HOUSEHOLD_LIST_HEADER}\n`;
  // Roster-number order: by the index column when there is one, else the rows' own order. Indexes below
  // 2^32 (every real roster) sort in one native pass on their low bytes; larger ones by the whole key.
  let small = true;
  for (let row = 0; small && row < rows.count; row++) for (let b = 0; b < 28; b++) if (rows.indexes[row * 32 + b] !== 0) small = false;
  const order = rows.hasIndexColumn ? sortRowsByKey(rows.indexes, 32, 0, 32, rows.count, small ? 28 : 0) : undefined;
  let piece = "";
  for (let k = 0; k < rows.count; k++) {
    const row = order ? order[k] : k;
    piece += `${readUint256(rows.indexes, row * 32)},${toHex(rows.beneficiaries, row * 20, 20)},${readUint256(rows.amounts, row * 32)},${field(rows.villages?.[row] ?? "")}\n`;
    if (k % rowsPerPiece === rowsPerPiece - 1) {
      yield piece;
      piece = "";
    }
  }
  if (piece) yield piece;
}

/** A list that does not read as one: the page says the list cannot be shown (never a half list). */
export class HouseholdListError extends Error {}

/** Parses a household list; throws HouseholdListError (with the line) on anything malformed. */
export function parseHouseholdList(text: string): HouseholdListRow[] {
  const rows: HouseholdListRow[] = [];
  let header = true;
  let problem: string | undefined;
  const reader = new CsvReader(
    (fields, line) => {
      if (problem) return;
      if (header) {
        header = false;
        if (fields.join(",").toLowerCase() !== HOUSEHOLD_LIST_HEADER) problem = `line ${line}: expected the header ${HOUSEHOLD_LIST_HEADER}`;
        return;
      }
      const [index, beneficiary, amount, village] = fields;
      if (fields.length !== 4 || !/^\d{1,78}$/.test(index) || !/^0x[0-9a-fA-F]{40}$/.test(beneficiary) || !/^\d{1,78}$/.test(amount)) {
        problem = `line ${line}: not "index,beneficiary,amount,village"`;
        return;
      }
      rows.push({ index: BigInt(index), beneficiary: beneficiary.toLowerCase(), amount: BigInt(amount), village });
    },
    (line, message) => (problem ??= `line ${line}: ${message}`),
  );
  reader.push(text);
  reader.end();
  if (problem) throw new HouseholdListError(problem);
  if (header) throw new HouseholdListError("empty household list");
  return rows;
}

export interface HouseholdQuery {
  /** Free text: a roster number ("12", "#12"), a pseudonym ("K7-Q2", "k7q2"), part of an account or a village. */
  q?: string;
  /** Exactly this village (as the list writes it). */
  village?: string;
  /** 0-based page. */
  page?: number;
  pageSize?: number;
}

export const HOUSEHOLD_PAGE_SIZE = 20;

/** The villages of a list, most households first (ties by name), for the village filter. */
export function listVillages(rows: readonly HouseholdListRow[]): { village: string; households: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.village) counts.set(r.village, (counts.get(r.village) ?? 0) + 1);
  return [...counts].map(([village, households]) => ({ village, households })).sort((a, b) => b.households - a.households || a.village.localeCompare(b.village));
}

/** The rows matching a query, one page of them, and how many match in all. */
export function queryHouseholdList(rows: readonly HouseholdListRow[], query: HouseholdQuery): { total: number; page: number; pageSize: number; rows: HouseholdListRow[] } {
  const pageSize = Math.max(1, Math.min(100, Math.floor(query.pageSize ?? HOUSEHOLD_PAGE_SIZE)));
  const q = (query.q ?? "").trim().toLowerCase();
  const number = /^#?\s*(\d{1,78})$/.exec(q)?.[1];
  const name = q.replace(/^household\s+|^家庭\s*/, "").replace(/[^a-z0-9]/g, "");
  const matches = (r: HouseholdListRow) => {
    if (query.village && r.village !== query.village) return false;
    if (!q) return true;
    if (number !== undefined) return r.index === BigInt(number);
    if (q.startsWith("0x")) return r.beneficiary.includes(q);
    if (r.village.toLowerCase().includes(q)) return true;
    return name.length >= 2 && rosterPseudonym(r.beneficiary).toLowerCase().replace("-", "").includes(name);
  };
  const found = rows.filter(matches);
  const pages = Math.max(1, Math.ceil(found.length / pageSize));
  const page = Math.max(0, Math.min(pages - 1, Math.floor(query.page ?? 0)));
  return { total: found.length, page, pageSize, rows: found.slice(page * pageSize, (page + 1) * pageSize) };
}
