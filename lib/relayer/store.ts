/**
 * Where the relayer keeps what it accepted, so that a restart (or `kill -9`) neither loses nor doubles a
 * claim. Two things are written, each before the moment it protects:
 *
 *  - a claim, before POST /v1/claims answers 202 (what was accepted survives any crash after the answer);
 *  - a batch's signed transaction and hash, before it is broadcast (write-ahead: after a crash the relayer
 *    finds the very same transaction, on chain or in its store, and rebroadcasts it rather than signing a
 *    second one for the same claims).
 *
 * Embedded SQLite (node:sqlite, WAL, synchronous=FULL: a committed write survives a power cut) by default;
 * PostgreSQL through a connection URL in production (several relayer hosts can then share one database's
 * backups and tooling; one relayer key still means one relayer process). Both hold the same three tables.
 *
 * A store belongs to one chain (its genesis hash), one relayer key and one factory: opening it with
 * another is refused (StoreMismatch), because its claims and transactions mean nothing elsewhere.
 */
import type { Address, Hex } from "viem";
import { claimToJson, parseClaimRequest, type SignedRosterClaim } from "./request.ts";

export type ClaimStatus = "queued" | "submitted" | "confirmed" | "skipped" | "failed";

/** What GET /v1/claims/:id answers. */
export interface ClaimRecord {
  id: string;
  programme: Address;
  index: string;
  tranche: string;
  account: Address;
  status: ClaimStatus;
  txHash?: Hex;
  blockNumber?: string;
  batchSize?: number;
  error?: { code: string; message: string };
}

/** An accepted claim: its public record, the signed claim itself, and how often sending it failed. */
export interface StoredClaim {
  record: ClaimRecord;
  claim: SignedRosterClaim;
  attempts: number;
}

/** A batch signed and recorded but not yet known to be mined. */
export interface InflightBatch {
  hash: Hex;
  /** The signed transaction, rebroadcast as is after a crash. */
  raw: Hex;
  programme: Address;
  ids: string[];
}

/** What a store is for: opening one with another identity is refused. */
export interface StoreIdentity {
  chainId: number;
  genesis: Hex;
  relayer: Address;
  factory: Address;
}

export interface ClaimStore {
  /** Where it lives, for logs and errors (a path, or a URL without its password). */
  readonly location: string;
  /** Checks (or, when new, records) the identity; returns every claim (oldest first) and the batches in flight. */
  open(identity: StoreIdentity): Promise<{ claims: StoredClaim[]; inflight: InflightBatch[] }>;
  /** A newly accepted claim. */
  accept(c: StoredClaim): Promise<void>;
  /** New states of existing claims, in one transaction. */
  save(claims: StoredClaim[]): Promise<void>;
  /** A signed batch about to be broadcast and its claims marked submitted, in one transaction. */
  sending(batch: InflightBatch, claims: StoredClaim[]): Promise<void>;
  /** A batch no longer in flight (mined, or never broadcast) and its claims' new states, in one transaction. */
  landed(hash: Hex, claims: StoredClaim[]): Promise<void>;
  close(): Promise<void>;
}

export class StoreMismatch extends Error {
  readonly location: string;
  readonly field: keyof StoreIdentity;
  readonly stored: string;
  readonly given: string;
  constructor(location: string, field: keyof StoreIdentity, stored: string, given: string) {
    super(
      `the relayer store ${location} was made for ${field} ${stored}, not ${given}: its claims belong to that one. ` +
        `Point --store at another place (or remove it if that chain is gone for good).`,
    );
    this.name = "StoreMismatch";
    this.location = location;
    this.field = field;
    this.stored = stored;
    this.given = given;
  }
}

const IDENTITY_FIELDS = ["chainId", "genesis", "relayer", "factory"] as const;

function checkIdentity(location: string, stored: Record<string, string>, given: StoreIdentity) {
  for (const f of IDENTITY_FIELDS) {
    const want = String(given[f]).toLowerCase();
    if (stored[f] !== undefined && stored[f] !== want) throw new StoreMismatch(location, f, stored[f], want);
  }
}

const claimRow = (c: StoredClaim) => [c.record.id, JSON.stringify(c.record), JSON.stringify(claimToJson(c.claim)), c.attempts] as const;

function claimFromRow(record: string, claim: string, attempts: number | string): StoredClaim {
  const r = JSON.parse(record) as ClaimRecord;
  return { record: r, claim: parseClaimRequest({ programme: r.programme, claim: JSON.parse(claim) }).claim, attempts: Number(attempts) };
}

// ------------------------------------------------------------------------------------------- in memory

/** Keeps nothing across a restart: for tests and benchmarks only (scripts/relayer.ts always uses a real one). */
export class MemoryClaimStore implements ClaimStore {
  readonly location = "memory";
  private readonly claims = new Map<string, readonly [string, string, string, number]>();
  private readonly batches = new Map<Hex, InflightBatch>();
  async open() {
    return { claims: [...this.claims.values()].map(([, r, c, a]) => claimFromRow(r, c, a)), inflight: [...this.batches.values()] };
  }
  async accept(c: StoredClaim) {
    this.claims.set(c.record.id, claimRow(c));
  }
  async save(cs: StoredClaim[]) {
    for (const c of cs) this.claims.set(c.record.id, claimRow(c));
  }
  async sending(b: InflightBatch, cs: StoredClaim[]) {
    this.batches.set(b.hash, b);
    await this.save(cs);
  }
  async landed(hash: Hex, cs: StoredClaim[]) {
    this.batches.delete(hash);
    await this.save(cs);
  }
  async close() {}
}

// -------------------------------------------------------------------------------------------- SQLite

export class SqliteClaimStore implements ClaimStore {
  readonly location: string;
  private db: import("node:sqlite").DatabaseSync | undefined;
  constructor(location: string) {
    this.location = location;
  }

  async open(identity: StoreIdentity) {
    const { DatabaseSync } = await import("node:sqlite");
    const { mkdirSync } = await import("node:fs");
    const { dirname } = await import("node:path");
    mkdirSync(dirname(this.location), { recursive: true });
    const db = new DatabaseSync(this.location);
    this.db = db;
    // WAL with a full sync at each commit: a write that returned is on disk, whatever happens next.
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;");
    db.exec(`
      CREATE TABLE IF NOT EXISTS relayer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS relayer_claims (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL, claim TEXT NOT NULL, attempts INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS relayer_batches (hash TEXT PRIMARY KEY, raw TEXT NOT NULL, programme TEXT NOT NULL, ids TEXT NOT NULL);
    `);
    const stored = Object.fromEntries(
      (db.prepare("SELECT key, value FROM relayer_meta").all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    checkIdentity(this.location, stored, identity);
    this.tx(() => {
      const put = db.prepare("INSERT OR IGNORE INTO relayer_meta (key, value) VALUES (?, ?)");
      for (const f of IDENTITY_FIELDS) put.run(f, String(identity[f]).toLowerCase());
    });
    const claims = (db.prepare("SELECT record, claim, attempts FROM relayer_claims ORDER BY seq").all() as { record: string; claim: string; attempts: number }[]).map(
      (r) => claimFromRow(r.record, r.claim, r.attempts),
    );
    const inflight = (db.prepare("SELECT hash, raw, programme, ids FROM relayer_batches").all() as { hash: Hex; raw: Hex; programme: Address; ids: string }[]).map(
      (r) => ({ hash: r.hash, raw: r.raw, programme: r.programme, ids: JSON.parse(r.ids) as string[] }),
    );
    return { claims, inflight };
  }

  private get handle() {
    if (!this.db) throw new Error("the relayer store is not open");
    return this.db;
  }

  private tx(f: () => void) {
    const db = this.handle;
    db.exec("BEGIN IMMEDIATE");
    try {
      f();
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  }

  private upsert(cs: StoredClaim[]) {
    const put = this.handle.prepare(
      "INSERT INTO relayer_claims (id, record, claim, attempts) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (id) DO UPDATE SET record = excluded.record, attempts = excluded.attempts",
    );
    for (const c of cs) put.run(...claimRow(c));
  }

  async accept(c: StoredClaim) {
    this.tx(() => this.upsert([c]));
  }
  async save(cs: StoredClaim[]) {
    this.tx(() => this.upsert(cs));
  }
  async sending(b: InflightBatch, cs: StoredClaim[]) {
    this.tx(() => {
      this.handle.prepare("INSERT INTO relayer_batches (hash, raw, programme, ids) VALUES (?, ?, ?, ?)").run(b.hash, b.raw, b.programme, JSON.stringify(b.ids));
      this.upsert(cs);
    });
  }
  async landed(hash: Hex, cs: StoredClaim[]) {
    this.tx(() => {
      this.handle.prepare("DELETE FROM relayer_batches WHERE hash = ?").run(hash);
      this.upsert(cs);
    });
  }
  async close() {
    this.db?.close();
    this.db = undefined;
  }
}

// ------------------------------------------------------------------------------------------ PostgreSQL

type PgClient = import("pg").Client;

export class PostgresClaimStore implements ClaimStore {
  readonly location: string;
  private readonly url: string;
  private client: PgClient | undefined;
  constructor(url: string) {
    this.url = url;
    const u = new URL(url);
    u.password = u.password ? "***" : "";
    this.location = u.toString();
  }

  async open(identity: StoreIdentity) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    this.client = client;
    await client.query(`
      CREATE TABLE IF NOT EXISTS relayer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS relayer_claims (seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE,
        record TEXT NOT NULL, claim TEXT NOT NULL, attempts INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS relayer_batches (hash TEXT PRIMARY KEY, raw TEXT NOT NULL, programme TEXT NOT NULL, ids TEXT NOT NULL);
    `);
    const meta = await client.query<{ key: string; value: string }>("SELECT key, value FROM relayer_meta");
    checkIdentity(this.location, Object.fromEntries(meta.rows.map((r) => [r.key, r.value])), identity);
    await this.tx(async (c) => {
      for (const f of IDENTITY_FIELDS) {
        await c.query("INSERT INTO relayer_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [f, String(identity[f]).toLowerCase()]);
      }
    });
    const claims = (await client.query<{ record: string; claim: string; attempts: number }>("SELECT record, claim, attempts FROM relayer_claims ORDER BY seq")).rows.map((r) =>
      claimFromRow(r.record, r.claim, r.attempts),
    );
    const inflight = (await client.query<{ hash: Hex; raw: Hex; programme: Address; ids: string }>("SELECT hash, raw, programme, ids FROM relayer_batches")).rows.map((r) => ({
      hash: r.hash,
      raw: r.raw,
      programme: r.programme,
      ids: JSON.parse(r.ids) as string[],
    }));
    return { claims, inflight };
  }

  private async tx(f: (c: PgClient) => Promise<void>) {
    const c = this.client;
    if (!c) throw new Error("the relayer store is not open");
    await c.query("BEGIN");
    try {
      await f(c);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      throw err;
    }
  }

  private async upsert(c: PgClient, cs: StoredClaim[]) {
    for (const s of cs) {
      await c.query(
        "INSERT INTO relayer_claims (id, record, claim, attempts) VALUES ($1, $2, $3, $4) " +
          "ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, attempts = EXCLUDED.attempts",
        [...claimRow(s)],
      );
    }
  }

  async accept(s: StoredClaim) {
    await this.tx((c) => this.upsert(c, [s]));
  }
  async save(cs: StoredClaim[]) {
    await this.tx((c) => this.upsert(c, cs));
  }
  async sending(b: InflightBatch, cs: StoredClaim[]) {
    await this.tx(async (c) => {
      await c.query("INSERT INTO relayer_batches (hash, raw, programme, ids) VALUES ($1, $2, $3, $4)", [b.hash, b.raw, b.programme, JSON.stringify(b.ids)]);
      await this.upsert(c, cs);
    });
  }
  async landed(hash: Hex, cs: StoredClaim[]) {
    await this.tx(async (c) => {
      await c.query("DELETE FROM relayer_batches WHERE hash = $1", [hash]);
      await this.upsert(c, cs);
    });
  }
  async close() {
    await this.client?.end();
    this.client = undefined;
  }
}

/** `--store`: a postgres:// or postgresql:// URL, or a file path for the embedded database. */
export function claimStoreAt(where: string): ClaimStore {
  return /^postgres(ql)?:\/\//i.test(where) ? new PostgresClaimStore(where) : new SqliteClaimStore(where);
}
