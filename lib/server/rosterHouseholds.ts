/**
 * A roster's households for villagers (issue 9, item 4), served a page at a time: the programme's public
 * household list (roster.households.csv, beside the published roster.proofs; lib/roster/households.ts) is
 * read and parsed once on the server and cached, searched there, and only one page of rows goes to the
 * browser. Each row shown is checked against the published proofs file and the on-chain root (three
 * small range reads), so "object" is offered only on real leaves. Node only: the households page (a
 * server component) and its JSON route (app/api/rosters/[programme]/households) use it, and the reviewer
 * page reads a leaf's proof through it to rule.
 */
import type { Address, Hex } from "viem";
import { HOUSEHOLD_LIST_FILE, HOUSEHOLD_PAGE_SIZE, HouseholdListError, listVillages, parseHouseholdList, queryHouseholdList, rosterPseudonym, type HouseholdListRow, type HouseholdQuery } from "../roster/households.ts";
import { lookupProof, RosterFileError } from "../roster/proof-lookup.ts";
import { proofMatchesRoot } from "../roster/leaf.ts";
import type { ProgrammeDetail } from "../roster/programme.ts";
import { publishedFileReader, readPublishedText, rosterFilesDir, siblingUri } from "./rosterFiles.ts";

/** A county's list is ~90 bytes a household: 64 MiB is about 700,000 households. */
export const MAX_HOUSEHOLD_LIST_BYTES = 64 << 20;

type ObjectionState = "Pending" | "Upheld" | "Dismissed";

export interface HouseholdRowView {
  index: string;
  beneficiary: Address;
  amount: string;
  village: string;
  pseudonym: string;
  /** The row is a leaf of the on-chain root (checked against the proofs file). */
  verified: boolean;
  /** The objection to this leaf in the current roster version, if any. */
  objection?: ObjectionState;
}

export type HouseholdPage =
  | { available: true; total: number; page: number; pageSize: number; pages: number; villages: { village: string; households: number }[]; rows: HouseholdRowView[] }
  /** Why no list can be shown: no roster yet, no list published beside it, or it cannot be read. */
  | { available: false; reason: "noRoster" | "notPublished" | "unreadable" };

const cache = new Map<string, HouseholdListRow[]>();
const CACHED_LISTS = 4;

/** The programme's household list (cached per published file and version), or why there is none. */
async function householdList(p: Pick<ProgrammeDetail, "uri" | "contentHash">, selfOrigin: string, root: string): Promise<HouseholdListRow[] | "notPublished" | "unreadable"> {
  const uri = siblingUri(p.uri, HOUSEHOLD_LIST_FILE);
  if (!uri) return "notPublished";
  let read;
  try {
    read = await readPublishedText(uri, selfOrigin, MAX_HOUSEHOLD_LIST_BYTES, root);
  } catch (err) {
    return err instanceof RosterFileError && err.code === "notPublished" ? "notPublished" : "unreadable";
  }
  const key = `${uri}|${p.contentHash}|${read.version}`;
  let rows = cache.get(key);
  if (!rows) {
    try {
      rows = parseHouseholdList(read.text);
    } catch (err) {
      if (err instanceof HouseholdListError) return "unreadable";
      throw err;
    }
    cache.set(key, rows);
    while (cache.size > CACHED_LISTS) cache.delete(cache.keys().next().value!);
  }
  return rows;
}

/** The current roster's objection state per leaf index (a republished roster voids earlier ones). */
function objectionStates(p: Pick<ProgrammeDetail, "objections" | "version">): Map<string, ObjectionState> {
  const out = new Map<string, ObjectionState>();
  for (const o of p.objections) if (o.version === p.version) out.set(String(o.index), o.ruling ? (o.ruling.upheld ? "Upheld" : "Dismissed") : "Pending");
  return out;
}

/** A row is shown as a household only when the published proofs file proves exactly it under the chain's root. */
async function verifiedRow(r: HouseholdListRow, read: ReturnType<typeof publishedFileReader>, root: Hex): Promise<boolean> {
  try {
    const record = await lookupProof(read, r.beneficiary as Address);
    return !!record && record.index === r.index && record.amount === r.amount && record.root.toLowerCase() === root.toLowerCase() && proofMatchesRoot(record, root);
  } catch {
    return false;
  }
}

/** One page of a programme's households matching `query`. */
export async function householdPage(
  p: Pick<ProgrammeDetail, "uri" | "contentHash" | "root" | "version" | "objections">,
  query: HouseholdQuery,
  selfOrigin: string,
  root = rosterFilesDir(),
): Promise<HouseholdPage> {
  if (p.version === 0) return { available: false, reason: "noRoster" };
  const list = await householdList(p, selfOrigin, root);
  if (typeof list === "string") return { available: false, reason: list };
  const found = queryHouseholdList(list, { ...query, pageSize: query.pageSize ?? HOUSEHOLD_PAGE_SIZE });
  const read = publishedFileReader(p.uri, selfOrigin, root);
  const objections = objectionStates(p);
  const rows = await Promise.all(
    found.rows.map(async (r): Promise<HouseholdRowView> => ({
      index: r.index.toString(),
      beneficiary: r.beneficiary as Address,
      amount: r.amount.toString(),
      village: r.village,
      pseudonym: rosterPseudonym(r.beneficiary),
      verified: await verifiedRow(r, read, p.root),
      ...(objections.has(r.index.toString()) && { objection: objections.get(r.index.toString()) }),
    })),
  );
  return { available: true, total: found.total, page: found.page, pageSize: found.pageSize, pages: Math.max(1, Math.ceil(found.total / found.pageSize)), villages: listVillages(list), rows };
}

/**
 * Leaf `index` of the current roster with its proof, checked against the on-chain root: what a reviewer's
 * ruling sends (ruleOnObjection(index, upheld, account, amount, proof)). Undefined when the household
 * list does not name the index or the proofs file does not prove it.
 */
export async function leafWithProof(
  p: Pick<ProgrammeDetail, "uri" | "contentHash" | "root" | "version">,
  index: bigint,
  selfOrigin: string,
  root = rosterFilesDir(),
): Promise<{ index: bigint; account: Address; amount: bigint; proof: Hex[]; village: string } | undefined> {
  if (p.version === 0) return undefined;
  const list = await householdList(p, selfOrigin, root);
  if (typeof list === "string") return undefined;
  const row = list.find((r) => r.index === index);
  if (!row) return undefined;
  try {
    const record = await lookupProof(publishedFileReader(p.uri, selfOrigin, root), row.beneficiary as Address);
    if (!record || record.index !== index || record.root.toLowerCase() !== p.root.toLowerCase() || !proofMatchesRoot(record, p.root)) return undefined;
    return { index, account: row.beneficiary as Address, amount: record.amount, proof: record.proof as Hex[], village: row.village };
  } catch {
    return undefined;
  }
}

/**
 * An account's own record in a programme's current roster, checked against the on-chain root (the
 * household page's first paint: the same three range reads the claim panel makes in the browser).
 */
export async function accountRecord(
  p: Pick<ProgrammeDetail, "uri" | "root" | "version">,
  account: Address,
  selfOrigin: string,
  root = rosterFilesDir(),
): Promise<{ state: "found"; index: bigint; amount: bigint; proof: Hex[] } | { state: "notOnRoster" | "mismatch" | "unreadable" }> {
  if (p.version === 0) return { state: "notOnRoster" };
  try {
    const record = await lookupProof(publishedFileReader(p.uri, selfOrigin, root), account);
    if (!record) return { state: "notOnRoster" };
    if (record.root.toLowerCase() !== p.root.toLowerCase() || !proofMatchesRoot(record, p.root)) return { state: "mismatch" };
    return { state: "found", index: record.index, amount: record.amount, proof: record.proof as Hex[] };
  } catch {
    return { state: "unreadable" };
  }
}
