/**
 * The audit's roster part: reads the roster factory's and its programmes' events (or takes them from an
 * event file), the programmes' balances and ledger views at the audited block, and the published roster
 * files, then folds everything with lib/books/roster.ts.
 *
 * Where roster files are found (--roster-files <dir>), first match wins, for programme P (lowercase or
 * checksummed), roster version N and published content hash H (0x + 64 lowercase hex digits; it is the
 * proofs file's sha256, so the proofs file is looked for first):
 *   <dir>/<H>/roster.proofs  or  <dir>/<H>/roster.tree      a `roster build --out <dir>/<H>` folder
 *   <dir>/<H>.proofs         or  <dir>/<H>.tree
 *   <dir>/<P>/v<N>/roster.proofs  or  .../roster.tree
 *   <dir>/<P>/roster.proofs  or  <dir>/<P>/roster.tree      the programme's latest version only
 * Without --roster-files, an http(s) URI published with the roster (where its proofs file is served) is
 * fetched; a URI ending in "/" is a folder: <uri>roster.proofs. Anything else leaves the version marked
 * "leaf membership not checked".
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "viem";
import { getBlock } from "viem/actions";
import { buildRosterBooks, rosterFileKey, type RosterBooks, type RosterEvent } from "../../lib/books/roster.ts";
import { openRosterFile, type RosterFileCheck } from "../../lib/roster/audit-files.ts";
import { keccak256Hasher } from "../../lib/roster/keccak.ts";

export const FETCH_TIMEOUT_MS = 10_000;

const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

export function candidatePaths(dir: string, programme: string, version: number, contentHash: string, latest: boolean): string[] {
  const h = contentHash.toLowerCase();
  const out = [join(dir, h, "roster.proofs"), join(dir, h, "roster.tree"), join(dir, `${h}.proofs`), join(dir, `${h}.tree`)];
  for (const p of new Set([programme, programme.toLowerCase()])) {
    out.push(join(dir, p, `v${version}`, "roster.proofs"), join(dir, p, `v${version}`, "roster.tree"));
    if (latest) out.push(join(dir, p, "roster.proofs"), join(dir, p, "roster.tree"));
  }
  return out;
}

async function fetchBytes(uri: string, timeoutMs: number): Promise<Uint8Array> {
  const url = uri.endsWith("/") ? `${uri}roster.proofs` : uri;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error;
    throw new Error(e.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : e.message);
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Opens the published file of every roster version, or says why it could not. */
export async function loadRosterFiles(
  books: RosterBooks,
  o: { dir?: string; timeoutMs?: number },
): Promise<Record<string, RosterFileCheck | { unavailable: string }>> {
  const keccak = await keccak256Hasher();
  const files: Record<string, RosterFileCheck | { unavailable: string }> = {};
  for (const p of books.programmes) {
    for (const v of p.versions) {
      const key = rosterFileKey(p.programme, v.version);
      const open = (bytes: Uint8Array, source: string) => {
        try {
          files[key] = openRosterFile(bytes, sha256(bytes), source, keccak);
        } catch (err) {
          files[key] = { unavailable: `${source}: ${(err as Error).message}; leaf membership not checked` };
        }
      };
      if (o.dir) {
        const path = candidatePaths(o.dir, p.programme, v.version, v.contentHash, v === p.versions.at(-1)).find((f) => existsSync(f));
        if (path) open(readFileSync(path), path);
        else files[key] = { unavailable: `no file for content hash ${v.contentHash} in ${o.dir}; leaf membership not checked` };
      } else if (/^https?:\/\//i.test(v.uri)) {
        try {
          open(await fetchBytes(v.uri, o.timeoutMs ?? FETCH_TIMEOUT_MS), v.uri);
        } catch (err) {
          files[key] = { unavailable: `${v.uri}: ${(err as Error).message}; leaf membership not checked` };
        }
      } else {
        files[key] = { unavailable: `${v.uri || "(no URI)"} is not fetched (pass --roster-files <dir>); leaf membership not checked` };
      }
    }
  }
  return files;
}

export interface RosterAuditOptions {
  factory: string;
  fromBlock: number;
  toBlock: number;
  chunkSize: number;
  /** Roster events from an event file instead of the chain's logs. */
  events?: RosterEvent[];
  rosterFilesDir?: string;
  onProgress?: (done: number, total: number) => void;
}

export async function auditRosters(client: Client, o: RosterAuditOptions) {
  const { fetchRosterEvents, readRosterState } = await import("../../lib/roster/audit-chain.ts");
  let events = o.events;
  let requests = 0;
  if (!events) {
    const fetched = await fetchRosterEvents(client, o);
    events = fetched.events;
    requests = fetched.requests;
  }
  const auditedAt = Number((await getBlock(client, { blockNumber: BigInt(o.toBlock) })).timestamp);
  // A first fold names the programmes and their tokens; the second has balances, views and files.
  const listed = buildRosterBooks(events, { factory: o.factory, auditedAt });
  const { programmeCount, balances, views } = await readRosterState(client, o.factory, listed.programmes, o.toBlock);
  const files = await loadRosterFiles(listed, { dir: o.rosterFilesDir });
  const books = buildRosterBooks(events, { factory: o.factory, auditedAt, programmeCount, balances, views, files });
  return { factory: o.factory, books, events, requests };
}

export type RosterAudit = Awaited<ReturnType<typeof auditRosters>>;

type Fmt = (token: string, v: string | bigint) => string;

export function renderRosterMarkdown(r: RosterAudit | undefined, fmt: Fmt, mdTable: (rows: Record<string, unknown>[]) => string): string[] {
  const out: string[] = ["## Roster programmes", ""];
  if (!r) {
    out.push("_This deployment has no roster factory._", "");
    return out;
  }
  const b = r.books;
  out.push(
    `Factory ${r.factory}. **Result: ${b.verdict === "balanced" ? "every roster programme balances" : "ROSTER PROGRAMMES DO NOT BALANCE"}; ${b.critical} critical anomaly(ies).** ` +
      `Built from ${b.eventCount} roster events; each programme's balance and ledger view read at the audited block.`,
    "",
  );
  out.push(
    mdTable(
      b.programmes.map((p) => ({
        programme: `${p.id}: ${p.programme}`,
        status: p.status,
        raised: fmt(p.token, p.raised),
        claimed: fmt(p.token, p.claimed),
        refunded: fmt(p.token, p.refunded),
        held: fmt(p.token, p.held),
        surplus: fmt(p.token, p.surplus),
        donors: Object.keys(p.donors).length,
        claims: p.claims.length,
        verdict: p.verdict === "balanced" ? "balanced" : "**unbalanced**",
      })),
    ),
  );
  out.push("### Roster anomalies", "");
  out.push(mdTable(b.anomalies.map((a) => ({ severity: a.severity, kind: a.kind, programme: a.programme, detail: a.message }))));
  for (const p of b.programmes) {
    out.push(`### Roster programme ${p.id} (${p.programme})`, "");
    out.push(
      `Manager ${p.manager}; ${p.trancheUnlockTimes.length} tranche(s); threshold ${p.threshold}; claims until ${p.claimDeadline}` +
        `${p.cancellation.cancelledAt !== undefined ? `; **cancelled at ${p.cancellation.cancelledAt}**` : ""}. ` +
        `Conservation: raised ${fmt(p.token, p.raised)} + surplus ${fmt(p.token, p.surplus)} = claimed ${fmt(p.token, p.claimed)} + refunded ${fmt(p.token, p.refunded)} + held ${fmt(p.token, p.held)}: ` +
        `${!p.balanceChecked ? "balance not read" : p.anomalies.some((a) => a.kind === "not-conserved") ? "**no**" : "yes"}.`,
      "",
    );
    out.push("#### Roster versions", "");
    out.push(
      mdTable(
        p.versions.map((v) => ({
          version: v.version,
          root: v.root,
          leaves: v.leafCount,
          "roster total": fmt(p.token, v.rosterTotal),
          "after upheld objections": fmt(p.token, v.rosterTotalNow),
          "content hash": v.contentHash,
          "claims open at": v.approval?.claimsOpenAt ?? "not approved",
          claims: v.claims,
          claimed: fmt(p.token, v.claimed),
          "leaf membership":
            v.file.status === "checked"
              ? `checked against ${v.file.detail}: ${v.file.claimsNotLeaves} of ${v.file.claimsChecked} claims not leaves; content hash ${v.file.contentHashMatches ? "matches" : "**differs**"}`
              : `**not checked**: ${v.file.detail}`,
        })),
      ),
    );
    out.push("#### Objections", "");
    out.push(
      mdTable(
        p.objections.map((x) => ({
          version: x.version,
          leaf: x.index,
          objector: x.objector,
          ruling: !x.ruling ? "pending" : x.ruling.upheld ? `upheld (${fmt(p.token, x.ruling.releasedAmount)} released)` : "dismissed",
        })),
      ),
    );
    out.push("#### Deposits per donor", "");
    out.push(mdTable(Object.entries(p.donors).map(([donor, d]) => ({ donor, donated: fmt(p.token, d.donated), refunded: fmt(p.token, d.refunded) }))));
  }
  return out;
}
