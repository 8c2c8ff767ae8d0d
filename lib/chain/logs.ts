/**
 * The one log reader: every consumer of the chain's history (the audit CLI, the dApp's books, the roster
 * pages, the indexer's fallback) reads events through it.
 *
 * - Ranges adapt. A request covers at most `maxRange` blocks (the audit's --chunk-size, 2,000 by
 *   default, what public RPCs commonly accept). When a provider refuses a range ("block range too large",
 *   "more than 10000 results", "limit exceeded", ...), that range is halved and read again, and later
 *   ranges start from the smaller size; every success grows the size back (doubling, up to maxRange).
 * - Concurrency is bounded: at most `concurrency` eth_getLogs requests are in flight.
 * - Transient failures (timeouts, HTTP 429/5xx, a node's internal error, a dropped connection) are retried
 *   with exponential backoff; anything else (a malformed request, a one-block range still refused) fails.
 * - Block timestamps come from a BlockTimes cache: fetched once per block, however many events share it.
 * - Incremental: read [fromBlock, toBlock], then later [toBlock + 1, latest] (see EventFollower).
 *
 * It calls the client's EIP-1193 `request` directly with viem's own retries off, so the rules above are
 * the only ones in play. Works with any viem client: http (the dApp), custom over Hardhat's provider.
 */
import { decodeEventLog, formatLog, hexToBigInt, numberToHex, type Abi, type Address, type Client, type Hex, type Log, type RpcLog } from "viem";
import { BlockTimes } from "./block-times.ts";

export const DEFAULT_MAX_RANGE = 2_000n;
/** Providers cap the address list of one eth_getLogs; a hundred is accepted everywhere we deploy. */
export const MAX_ADDRESSES_PER_REQUEST = 100;

export interface ReadLogsOptions {
  address: Address | readonly Address[];
  fromBlock: bigint | number;
  /** Last block (default: the latest when the read starts). */
  toBlock?: bigint | number;
  /** Largest range of one request (default 2,000 blocks). */
  maxRange?: bigint | number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Retries of a transient failure before giving up (default 4). */
  retries?: number;
  /** First backoff delay in ms, doubled on each retry (default 250). */
  backoffMs?: number;
  /** Called as ranges complete: blocks done and blocks in total. */
  onProgress?: (done: number, total: number) => void;
  /** Overrides the wait between retries (tests). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ReadLogsResult {
  /** In chain order (block, then log index). */
  logs: Log[];
  fromBlock: bigint;
  toBlock: bigint;
  /** eth_getLogs requests sent, refused and retried ones included. */
  requests: number;
  /** How many times a range was refused as too large and halved. */
  splits: number;
}

/** Why a request failed, as the reader treats it. */
export type LogRequestFailure = "range" | "transient" | "fatal";

const RANGE_REFUSAL =
  /range|too many|more than \d+|limit exceeded|response size|too large|too wide|exceed(ed|s)? (the )?(max|limit)|query returned|result set|results? (is|are) too/i;

function* causes(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (typeof err !== "object" || err === null || depth > 8) return;
  const e = err as Record<string, unknown>;
  yield e;
  for (const k of ["cause", "error"]) if (typeof e[k] === "object") yield* causes(e[k], depth + 1);
}

/** Classifies an eth_getLogs failure: a refused range, something worth retrying, or neither. */
export function classifyLogRequestError(err: unknown): LogRequestFailure {
  const parts: string[] = [];
  const codes: number[] = [];
  const statuses: number[] = [];
  let name = "";
  for (const e of causes(err)) {
    for (const k of ["message", "details", "shortMessage"]) if (typeof e[k] === "string") parts.push(e[k] as string);
    if (typeof e.code === "number") codes.push(e.code);
    if (typeof e.status === "number") statuses.push(e.status);
    if (typeof e.name === "string") name += ` ${e.name}`;
  }
  const text = parts.join(" | ");
  if (RANGE_REFUSAL.test(text) && !/rate|per second|too many requests/i.test(text)) return "range";
  if (/Timeout|HttpRequestError|AbortError|SocketClosed/.test(name)) return "transient";
  if (statuses.some((s) => s === 408 || s === 429 || s >= 500)) return "transient";
  if (codes.some((c) => c === -32005 || c === -32603 || c === -32007 || c === 429 || c === -1)) return "transient";
  if (/timeout|timed out|ECONNRESET|ECONNREFUSED|socket hang up|fetch failed|network|rate|too many requests|temporarily/i.test(text)) return "transient";
  return "fatal";
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function latestBlock(client: Client): Promise<bigint> {
  return hexToBigInt((await client.request({ method: "eth_blockNumber" } as never, { retryCount: 2 } as never)) as Hex);
}

/** Every log of `address` in [fromBlock, toBlock], by the rules in this file's header. */
export async function readLogs(client: Client, o: ReadLogsOptions): Promise<ReadLogsResult> {
  const fromBlock = BigInt(o.fromBlock);
  const toBlock = o.toBlock !== undefined ? BigInt(o.toBlock) : await latestBlock(client);
  const maxRange = BigInt(o.maxRange ?? DEFAULT_MAX_RANGE);
  if (maxRange < 1n) throw new RangeError("maxRange must be at least 1 block");
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const retries = Math.max(0, o.retries ?? 4);
  const backoffMs = o.backoffMs ?? 250;
  const sleep = o.sleep ?? defaultSleep;
  const addresses = (Array.isArray(o.address) ? [...o.address] : [o.address as Address]).map((a) => a.toLowerCase() as Address);
  const groups: Address[][] = [];
  for (let i = 0; i < addresses.length; i += MAX_ADDRESSES_PER_REQUEST) groups.push(addresses.slice(i, i + MAX_ADDRESSES_PER_REQUEST));

  const result: ReadLogsResult = { logs: [], fromBlock, toBlock, requests: 0, splits: 0 };
  if (toBlock < fromBlock || groups.length === 0) return result;
  const total = Number(toBlock - fromBlock + 1n) * groups.length;
  let done = 0;

  for (const group of groups) {
    let range = maxRange;
    let cursor = fromBlock;
    /** Ranges refused and split, read before new ones. */
    const pending: [bigint, bigint][] = [];
    const take = (): [bigint, bigint] | undefined => {
      const again = pending.pop();
      if (again) return again;
      if (cursor > toBlock) return undefined;
      const end = cursor + range - 1n < toBlock ? cursor + range - 1n : toBlock;
      const r: [bigint, bigint] = [cursor, end];
      cursor = end + 1n;
      return r;
    };
    const fetchRange = async ([from, to]: [bigint, bigint]): Promise<RpcLog[] | "split"> => {
      for (let attempt = 0; ; attempt++) {
        result.requests++;
        try {
          return (await client.request(
            { method: "eth_getLogs", params: [{ address: group, fromBlock: numberToHex(from), toBlock: numberToHex(to) }] } as never,
            { retryCount: 0, dedupe: false } as never,
          )) as RpcLog[];
        } catch (err) {
          const kind = classifyLogRequestError(err);
          if (kind === "range" && to > from) return "split";
          if (kind === "transient" && attempt < retries) {
            await sleep(backoffMs * 2 ** attempt);
            continue;
          }
          throw err;
        }
      }
    };
    const worker = async () => {
      for (let r = take(); r; r = take()) {
        const got = await fetchRange(r);
        if (got === "split") {
          const half = (r[1] - r[0] + 1n) / 2n;
          result.splits++;
          range = half > 0n ? half : 1n;
          // Push the upper half first: the lower half is read next, keeping reads roughly in order.
          pending.push([r[0] + half, r[1]], [r[0], r[0] + half - 1n]);
          continue;
        }
        for (const log of got) result.logs.push(formatLog(log));
        if (range < maxRange) range = range * 2n < maxRange ? range * 2n : maxRange;
        done += Number(r[1] - r[0] + 1n);
        o.onProgress?.(done, total);
      }
    };
    // Workers stop when nothing is left to take, but a split can add work after an idle worker left:
    // run rounds until every range is read.
    while (cursor <= toBlock || pending.length > 0) {
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
  }
  result.logs.sort((a, b) => (a.blockNumber === b.blockNumber ? (a.logIndex ?? 0) - (b.logIndex ?? 0) : (a.blockNumber ?? 0n) < (b.blockNumber ?? 0n) ? -1 : 1));
  return result;
}

/** A contract whose events are read: its address, its ABI and a name the events carry. */
export interface EventSource<Name extends string = string> {
  address: Address;
  abi: Abi;
  contract: Name;
}

/** One decoded event, in the shape every fold takes. */
export interface ChainEvent<Name extends string = string> {
  contract: Name;
  address: Address;
  name: string;
  /** Decoded arguments by name, as viem decodes them (bigints, numbers for small ints, checksummed addresses). */
  args: Record<string, any>;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
  /** The block's timestamp (seconds) when read with timestamps. */
  timestamp?: number;
}

export interface ReadEventsOptions<Name extends string> extends Omit<ReadLogsOptions, "address"> {
  sources: readonly EventSource<Name>[];
  /** Stamp each event with its block's time, through this cache (or a fresh one when `true`). */
  timestamps?: BlockTimes | boolean;
  /**
   * Block requests in flight at once for a fresh cache (default 8). A client whose transport batches
   * JSON-RPC (the dApp's) sends each round as one HTTP request, so it can afford many more.
   */
  timestampConcurrency?: number;
}

export interface ReadEventsResult<Name extends string> extends Omit<ReadLogsResult, "logs"> {
  events: ChainEvent<Name>[];
  /** eth_getBlockByNumber requests this read made for timestamps. */
  blockRequests: number;
}

/** Decodes a log against its source's ABI; undefined for a log the ABI does not know. */
export function decodeChainEvent<Name extends string>(log: Log, source: EventSource<Name>): ChainEvent<Name> | undefined {
  try {
    const d = decodeEventLog({ abi: source.abi as Abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] }) as { eventName?: string; args?: unknown };
    return {
      contract: source.contract,
      address: source.address,
      name: String(d.eventName),
      args: (d.args ?? {}) as Record<string, any>,
      blockNumber: log.blockNumber ?? 0n,
      logIndex: log.logIndex ?? 0,
      transactionHash: log.transactionHash ?? "0x",
    };
  } catch {
    return undefined;
  }
}

/** Every event of `sources` in the range, decoded, in chain order, optionally with block times. */
export async function readEvents<Name extends string>(client: Client, o: ReadEventsOptions<Name>): Promise<ReadEventsResult<Name>> {
  const { sources, timestamps, timestampConcurrency, ...rest } = o;
  const byAddress = new Map(sources.map((s) => [s.address.toLowerCase(), s]));
  const read = await readLogs(client, { ...rest, address: sources.map((s) => s.address) });
  const events: ChainEvent<Name>[] = [];
  for (const log of read.logs) {
    const source = byAddress.get(log.address.toLowerCase());
    const e = source && decodeChainEvent(log, source);
    if (e) events.push(e);
  }
  let blockRequests = 0;
  if (timestamps) {
    const times = timestamps === true ? new BlockTimes(client, { concurrency: timestampConcurrency }) : timestamps;
    const before = times.requests;
    const stamps = await times.getMany(events.map((e) => e.blockNumber));
    for (const e of events) e.timestamp = stamps.get(e.blockNumber);
    blockRequests = times.requests - before;
  }
  const { logs: _, ...meta } = read;
  return { ...meta, events, blockRequests };
}

/**
 * Reads a history once, then only what is new: each update() reads from the block after the last one
 * read up to the latest, and appends. The block-time cache is kept across updates.
 */
export class EventFollower<Name extends string> {
  readonly events: ChainEvent<Name>[] = [];
  /** The first block not read yet. */
  nextBlock: bigint;
  requests = 0;
  private readonly times: BlockTimes;
  private readonly client: Client;
  private readonly o: Omit<ReadEventsOptions<Name>, "fromBlock" | "toBlock" | "timestamps"> & { fromBlock: bigint | number; timestamps?: boolean };

  constructor(client: Client, o: EventFollower<Name>["o"]) {
    this.client = client;
    this.o = o;
    this.nextBlock = BigInt(o.fromBlock);
    this.times = new BlockTimes(client);
  }

  /** Reads [nextBlock, toBlock ?? latest]; returns the events that are new. */
  async update(toBlock?: bigint | number): Promise<ChainEvent<Name>[]> {
    const to = toBlock !== undefined ? BigInt(toBlock) : await latestBlock(this.client);
    if (to < this.nextBlock) return [];
    const { timestamps, ...rest } = this.o;
    const read = await readEvents(this.client, { ...rest, fromBlock: this.nextBlock, toBlock: to, timestamps: timestamps ? this.times : false });
    this.requests += read.requests;
    this.nextBlock = to + 1n;
    this.events.push(...read.events);
    return read.events;
  }
}
