/**
 * Block timestamps, fetched once per block and cached: every consumer of the log reader (the audit, the
 * dApp's books, the roster pages) needs the time of each event's block, and many events share a block.
 * Requests go out a bounded number at a time, so a long history does not flood a public endpoint.
 */
import { hexToNumber, numberToHex, type Client, type Hex } from "viem";

export interface BlockTimesOptions {
  /** Blocks asked for at once (default 8). */
  concurrency?: number;
}

export class BlockTimes {
  private readonly client: Client;
  private readonly concurrency: number;
  private readonly known = new Map<bigint, number>();
  private readonly inflight = new Map<bigint, Promise<number>>();
  /** eth_getBlockByNumber requests made so far. */
  requests = 0;

  constructor(client: Client, o: BlockTimesOptions = {}) {
    this.client = client;
    this.concurrency = Math.max(1, o.concurrency ?? 8);
  }

  /** The cached time of a block, or undefined before it was fetched. */
  cached(block: bigint | number): number | undefined {
    return this.known.get(BigInt(block));
  }

  /** Seeds times learnt elsewhere (a saved event file). */
  remember(block: bigint | number, timestamp: number): void {
    this.known.set(BigInt(block), timestamp);
  }

  /** One block's timestamp (seconds). */
  get(block: bigint | number): Promise<number> {
    const n = BigInt(block);
    const hit = this.known.get(n);
    if (hit !== undefined) return Promise.resolve(hit);
    let p = this.inflight.get(n);
    if (!p) {
      this.requests++;
      p = (this.client.request({ method: "eth_getBlockByNumber", params: [numberToHex(n), false] } as never) as Promise<{ timestamp: Hex } | null>)
        .then((b) => {
          if (!b) throw new Error(`block ${n} is not known to the node`);
          const t = hexToNumber(b.timestamp);
          this.known.set(n, t);
          return t;
        })
        .finally(() => this.inflight.delete(n));
      this.inflight.set(n, p);
    }
    return p;
  }

  /** The timestamps of many blocks, each fetched at most once, `concurrency` at a time. */
  async getMany(blocks: Iterable<bigint | number>): Promise<Map<bigint, number>> {
    const wanted = [...new Set([...blocks].map((b) => BigInt(b)))];
    const missing = wanted.filter((b) => !this.known.has(b));
    let next = 0;
    const worker = async () => {
      while (next < missing.length) await this.get(missing[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, missing.length) }, worker));
    return new Map(wanted.map((b) => [b, this.known.get(b)!]));
  }
}
