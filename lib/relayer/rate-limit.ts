/**
 * A token bucket per key (the beneficiary's account): `capacity` requests at once, refilled at
 * `perMinute` a minute. Every request counts, refused ones too, so nobody can make the relayer spend
 * RPC calls on one account's bad claims without limit. In memory: one relayer process is one limiter.
 */
export interface RateLimit {
  /** Burst size. */
  capacity: number;
  /** Tokens added per minute. */
  perMinute: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many tracked accounts, full buckets are forgotten (they carry no information). */
const PRUNE_ABOVE = 50_000;

export class TokenBuckets {
  readonly limit: RateLimit;
  private readonly buckets = new Map<string, Bucket>();
  private readonly clock: () => number;

  constructor(limit: RateLimit, clock: () => number = Date.now) {
    if (!(limit.capacity >= 1) || !(limit.perMinute > 0)) throw new Error("rate limit: capacity must be >= 1 and perMinute > 0");
    this.limit = limit;
    this.clock = clock;
  }

  private refilled(b: Bucket, now: number): number {
    return Math.min(this.limit.capacity, b.tokens + ((now - b.at) * this.limit.perMinute) / 60_000);
  }

  /** Takes a token; when none is left, says in how many whole seconds the next one arrives. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.clock();
    const b = this.buckets.get(key) ?? { tokens: this.limit.capacity, at: now };
    const tokens = this.refilled(b, now);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - tokens) * 60) / this.limit.perMinute)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
    return { ok: true };
  }

  private prune(now: number) {
    for (const [key, b] of this.buckets) if (this.refilled(b, now) >= this.limit.capacity) this.buckets.delete(key);
  }
}
