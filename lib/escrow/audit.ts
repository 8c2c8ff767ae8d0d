/**
 * Rebuilds every project's books from events alone, the way an auditor who trusts no view function
 * would, and checks them against the escrow's actual balances.
 *
 * Three steps, each usable on its own so a test (or an auditor) can change what the next step sees:
 *   fetchEvents()        the escrow's and registry's events through the one log reader (lib/chain/logs.ts),
 *                        as plain JSON-friendly events (integers as decimal strings);
 *   buildEscrowReport()  pure (lib/books/escrow-report.ts): the escrow fold laid out, with anomalies;
 *   checkBooks()         compares the report with balances and views read at the same block.
 * auditChain() runs all three.
 */
import { erc20Abi, getAddress, zeroAddress, type Address, type Client } from "viem";
import { getBalance, getBlock, getBlockNumber, getChainId, readContract } from "viem/actions";
import { aidEscrowAbi } from "../generated/aidEscrow.ts";
import { buildEscrowReport, type EscrowReport } from "../books/escrow-report.ts";
import { projectStatusAt } from "./status.ts";
import { plainEvent, readEscrowEvents, type PlainEvent } from "./events.ts";
import { DEFAULT_MAX_RANGE } from "../chain/logs.ts";

export const DEFAULT_CHUNK_SIZE = Number(DEFAULT_MAX_RANGE);

export interface FetchOptions {
  escrow: string;
  registry: string;
  fromBlock: number;
  toBlock?: number;
  /** At most this many blocks per eth_getLogs (the reader halves it on a refusal, never exceeds it). */
  chunkSize?: number;
  /** Called as ranges complete with blocks done and blocks in total (drives the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** Every log of the escrow and the registry in [fromBlock, toBlock], as plain events in chain order. */
export async function fetchEvents(client: Client, o: FetchOptions): Promise<{ events: PlainEvent[]; fromBlock: number; toBlock: number; requests: number }> {
  const toBlock = o.toBlock ?? Number(await getBlockNumber(client, { cacheTime: 0 }));
  const read = await readEscrowEvents(client, {
    escrow: getAddress(o.escrow),
    registry: getAddress(o.registry),
    fromBlock: o.fromBlock,
    toBlock,
    maxRange: Math.max(1, o.chunkSize ?? DEFAULT_CHUNK_SIZE),
    onProgress: o.onProgress,
  });
  return { events: read.events.map(plainEvent), fromBlock: o.fromBlock, toBlock, requests: read.requests };
}

export interface TokenCheck {
  token: string;
  held: string;
  balance: string;
  /**
   * What the escrow holds beyond its books (balance - held when positive, else "0"): ETH forced in by a
   * self-destructing contract or tokens sent without donate(). No project lost anything, so it is a warning.
   */
  surplus: string;
  /** The balance covers everything the books say is held (balance >= held); only a shortfall fails. */
  ok: boolean;
}

export interface ProjectCheck {
  projectId: string;
  /** raised == claimed + refunded + held, with held >= 0. */
  conserved: boolean;
  /** The escrow's own projectLedger view agrees with the events (raised, claimed, refunded, committed). */
  matchesView: boolean;
  differences: string[];
}

export interface AuditResult {
  chainId: number;
  escrow: string;
  registry: string;
  fromBlock: number;
  toBlock: number;
  requests: number;
  books: EscrowReport;
  tokens: TokenCheck[];
  projectChecks: ProjectCheck[];
  balanced: boolean;
  critical: number;
}

const big = (v: string | number | bigint) => BigInt(v);

/** An account's balance of a token (ETH for address(0)) at a block. */
export async function balanceAt(client: Client, token: string, account: string, blockNumber: bigint): Promise<bigint> {
  if (token === zeroAddress) return getBalance(client, { address: account as Address, blockNumber });
  return readContract(client, { address: token as Address, abi: erc20Abi, functionName: "balanceOf", args: [account as Address], blockNumber });
}

/**
 * Checks books against the chain at `blockTag`: every token's summed `held` must equal the escrow's
 * balance of it, and each project's figures must match the escrow's own view.
 */
export async function checkBooks(
  client: Client,
  books: EscrowReport,
  at: { escrow: string; blockTag: number },
): Promise<{ tokens: TokenCheck[]; projectChecks: ProjectCheck[]; balanced: boolean }> {
  const blockNumber = BigInt(at.blockTag);
  const heldPerToken = new Map<string, bigint>([[zeroAddress, 0n]]);
  for (const p of Object.values(books.projects)) {
    heldPerToken.set(p.token, (heldPerToken.get(p.token) ?? 0n) + big(p.held));
  }
  const tokens: TokenCheck[] = [];
  for (const [token, held] of heldPerToken) {
    const balance = await balanceAt(client, token, at.escrow, blockNumber);
    tokens.push({ token, held: held.toString(), balance: balance.toString(), surplus: (balance > held ? balance - held : 0n).toString(), ok: balance >= held });
  }

  const time = Number((await getBlock(client, { blockNumber })).timestamp);
  for (const p of Object.values(books.projects)) {
    // The escrow's own rule (lib/escrow/status.ts), from events and the block's time.
    p.status = projectStatusAt(p, time) as typeof p.status;
  }
  const projectChecks: ProjectCheck[] = [];
  for (const p of Object.values(books.projects)) {
    const differences: string[] = [];
    const conserved = big(p.held) >= 0n && big(p.raised) === big(p.claimed) + big(p.refunded) + big(p.held);
    const view = await readContract(client, { address: at.escrow as Address, abi: aidEscrowAbi, functionName: "projectLedger", args: [BigInt(p.projectId)], blockNumber });
    for (const field of ["raised", "claimed", "refunded", "committed"] as const) {
      if (BigInt(view[field]) !== big(p[field])) differences.push(`${field}: events say ${p[field]}, the escrow says ${view[field]}`);
    }
    projectChecks.push({ projectId: p.projectId, conserved, matchesView: differences.length === 0, differences });
  }
  const balanced = tokens.every((t) => t.ok) && projectChecks.every((c) => c.conserved && c.matchesView);
  return { tokens, projectChecks, balanced };
}

export interface AuditOptions extends FetchOptions {
  /** Replace or alter the events before the books are built (an exported file, or a test's tampering). */
  transformEvents?: (events: PlainEvent[]) => PlainEvent[];
  events?: PlainEvent[];
}

export async function auditChain(client: Client, o: AuditOptions): Promise<AuditResult> {
  let fetched: { events: PlainEvent[]; fromBlock: number; toBlock: number; requests: number };
  if (o.events) {
    const toBlock = o.toBlock ?? Math.max(o.fromBlock, ...o.events.map((e) => e.blockNumber));
    fetched = { events: o.events, fromBlock: o.fromBlock, toBlock, requests: 0 };
  } else {
    fetched = await fetchEvents(client, o);
  }
  const events = o.transformEvents ? o.transformEvents(fetched.events) : fetched.events;
  const books = buildEscrowReport(events);
  const checks = await checkBooks(client, books, { escrow: o.escrow, blockTag: fetched.toBlock });
  for (const t of checks.tokens) {
    if (BigInt(t.surplus) === 0n) continue;
    books.anomalies.push({
      kind: "surplus",
      severity: "warning",
      message: `The escrow holds ${t.surplus} more of ${t.token === zeroAddress ? "ETH (wei)" : `token ${t.token} (raw units)`} than its events account for: money that arrived without a donation (a forced transfer or a plain token transfer). No project lost anything.`,
    });
  }
  const chainId = await getChainId(client);
  return {
    chainId,
    escrow: getAddress(o.escrow),
    registry: getAddress(o.registry),
    fromBlock: fetched.fromBlock,
    toBlock: fetched.toBlock,
    requests: fetched.requests,
    books,
    ...checks,
    critical: books.anomalies.filter((a) => a.severity === "critical").length,
  };
}
