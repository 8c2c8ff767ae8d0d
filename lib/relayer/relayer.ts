/**
 * The relayer's core: validates a signed roster claim against the chain before it costs any gas, queues
 * it per programme, and submits the queue as claimBatch transactions with the relayer's own key. It
 * cannot redirect money: the contract pays only the leaf's account, and the account is inside the
 * proven leaf and the signed struct. Validation is there so the relayer never pays for a claim that
 * would fail, and so the person submitting learns why at once.
 *
 * What it accepts it keeps (lib/relayer/store.ts): a claim is stored before the 202, a batch's signed
 * transaction before it is broadcast, so a restart resumes the queue and follows (or rebroadcasts) the
 * batch that was in flight instead of losing its claims or signing them twice.
 *
 * Node-only (no browser use): it holds the relayer's key.
 */
import { randomUUID } from "node:crypto";
import {
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  zeroAddress,
  recoverTypedDataAddress,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import { aidRosterFactoryAbi } from "../generated/aidRosterFactory.ts";
import { aidRosterProgrammeAbi } from "../generated/aidRosterProgramme.ts";
import { CLAIM_TYPES, rosterDomain } from "../roster/typed-data.ts";
import { foldProof, rosterLeaf } from "../roster/leaf.ts";
import { decodeRevertData } from "../errors/decode.ts";
import { RelayerError, jsonSafe, refusalFor, refusalForContractError } from "./errors.ts";
import { TokenBuckets, type RateLimit } from "./rate-limit.ts";
import { parseClaimRequest, type SignedRosterClaim } from "./request.ts";
import { MemoryClaimStore, type ClaimRecord, type ClaimStatus, type ClaimStore, type InflightBatch, type StoredClaim } from "./store.ts";

export type { ClaimRecord, ClaimStatus } from "./store.ts";

export interface RelayerOptions {
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  /** The AidRosterFactory whose programmes (isProgramme) this relayer serves. */
  factory: Address;
  /** Claims per transaction (default 25). */
  maxBatch?: number;
  /** How long the first claim of a programme waits for company (default 2000 ms). */
  batchIntervalMs?: number;
  /** Per-beneficiary token bucket (default 10 at once, 10 a minute). */
  rateLimit?: RateLimit;
  /**
   * A signature must stay valid this many seconds beyond the latest block (default 60): a signature
   * that expires while queued would revert the whole batch.
   */
  deadlineMarginSeconds?: number;
  /** Below this balance the relayer refuses new claims with 503 (default: 150,000 gas at the current price). */
  minBalanceWei?: bigint;
  /** Status records kept; the oldest finished ones are forgotten beyond it (default 100,000). */
  maxRecords?: number;
  /** How long to wait for a batch's receipt before moving on (default 5 minutes). */
  receiptTimeoutMs?: number;
  /**
   * Where accepted claims and in-flight batches are kept across restarts (lib/relayer/store.ts). The
   * default keeps them in memory only, for tests; scripts/relayer.ts always passes a durable one.
   */
  store?: ClaimStore;
  /** Milliseconds clock for the rate limiter (tests). */
  clock?: () => number;
  log?: (line: string) => void;
}

interface Entry {
  id: string;
  programme: Address;
  claim: SignedRosterClaim;
  attempts: number;
}

const FINAL: ReadonlySet<ClaimStatus> = new Set(["confirmed", "skipped", "failed"]);
/** A claim alone costs at most ~95,000 gas (fresh recipient, depth 20, alone in its transaction). */
const GAS_PER_LONE_CLAIM = 150_000n;
/** Times a batch is retried after the node failed to answer before its claims are marked failed. */
const MAX_ATTEMPTS = 3;

const leafOf = (c: SignedRosterClaim): Hex => rosterLeaf(c.index, c.account, c.amount);
/** One claim of one leaf's tranche: at most one is queued or in flight. */
const keyOf = (programme: Address, c: SignedRosterClaim) => `${programme}|${c.index}|${c.tranche}`;

export class Relayer {
  readonly address: Address;
  readonly factory: Address;
  readonly maxBatch: number;
  readonly batchIntervalMs: number;
  private readonly publicClient: RelayerOptions["publicClient"];
  private readonly walletClient: RelayerOptions["walletClient"];
  private readonly limiter: TokenBuckets;
  private readonly deadlineMargin: bigint;
  private readonly minBalanceWei: bigint | undefined;
  private readonly maxRecords: number;
  private readonly receiptTimeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly store: ClaimStore;
  private opened: Promise<{ resumed: number; inflight: number }> | undefined;

  private readonly records = new Map<string, ClaimRecord>();
  /** programme|index|tranche of every queued or submitted claim. */
  private readonly active = new Map<string, string>();
  private readonly queues = new Map<Address, Entry[]>();
  private readonly timers = new Map<Address, ReturnType<typeof setTimeout>>();
  private readonly due: Address[] = [];
  private worker: Promise<void> | undefined;
  private readonly listed = new Set<Address>();
  private chainId: number | undefined;
  private stopped = false;

  constructor(o: RelayerOptions) {
    this.publicClient = o.publicClient;
    this.walletClient = o.walletClient;
    this.address = o.walletClient.account.address;
    this.factory = o.factory;
    this.maxBatch = o.maxBatch ?? 25;
    this.batchIntervalMs = o.batchIntervalMs ?? 2000;
    if (!Number.isInteger(this.maxBatch) || this.maxBatch < 1) throw new Error("maxBatch must be a positive integer");
    if (!Number.isInteger(this.batchIntervalMs) || this.batchIntervalMs < 0) throw new Error("batchIntervalMs must be a non-negative integer");
    this.limiter = new TokenBuckets(o.rateLimit ?? { capacity: 10, perMinute: 10 }, o.clock);
    this.deadlineMargin = BigInt(o.deadlineMarginSeconds ?? 60);
    this.minBalanceWei = o.minBalanceWei;
    this.maxRecords = o.maxRecords ?? 100_000;
    this.receiptTimeoutMs = o.receiptTimeoutMs ?? 300_000;
    this.log = o.log ?? (() => {});
    this.store = o.store ?? new MemoryClaimStore();
  }

  /**
   * Opens the store and resumes what a previous run accepted: queued claims go back in their queues, and
   * a batch that was in flight is followed to its receipt (rebroadcast first if the node no longer knows
   * it) before anything new is sent. Called by scripts/relayer.ts at start; submit() calls it too.
   */
  start(): Promise<{ resumed: number; inflight: number }> {
    this.opened ??= this.resume();
    return this.opened;
  }

  private async resume() {
    const [chainId, genesis] = await Promise.all([this.getChainId(), this.publicClient.getBlock({ blockNumber: 0n })]);
    const { claims, inflight } = await this.store.open({ chainId, genesis: genesis.hash!, relayer: this.address, factory: this.factory });
    const flying = new Set(inflight.flatMap((b) => b.ids));
    const byId = new Map<string, Entry>();
    for (const c of claims) {
      this.remember(c.record);
      if (FINAL.has(c.record.status)) continue;
      this.active.set(keyOf(c.record.programme, c.claim), c.record.id);
      byId.set(c.record.id, { id: c.record.id, programme: c.record.programme, claim: c.claim, attempts: c.attempts });
    }
    // One key, one nonce sequence: the batches in flight are settled before any new one is signed.
    if (inflight.length > 0) {
      this.worker = (async () => {
        for (const b of inflight) await this.follow(b, b.ids.map((id) => byId.get(id)).filter((e): e is Entry => e !== undefined));
        await this.work();
      })().finally(() => (this.worker = undefined));
    }
    let resumed = 0;
    for (const e of byId.values()) {
      if (this.records.get(e.id)?.status !== "queued" || flying.has(e.id)) continue;
      this.enqueue(e);
      resumed++;
    }
    if (resumed + inflight.length > 0) this.log(`resumed ${resumed} queued claims and ${inflight.length} batches in flight from ${this.store.location}`);
    return { resumed, inflight: inflight.length };
  }

  /** A batch recorded before a restart: find its receipt, rebroadcast it if the node lost it, or queue its claims again. */
  private async follow(batch: InflightBatch, entries: Entry[]) {
    const c = this.publicClient;
    const mined = await c.getTransactionReceipt({ hash: batch.hash }).catch(() => undefined);
    if (!mined) {
      const known = await c.getTransaction({ hash: batch.hash }).then(
        () => true,
        () => false,
      );
      if (!known) {
        try {
          await this.walletClient.sendRawTransaction({ serializedTransaction: batch.raw });
          this.log(`rebroadcast ${batch.hash} (${entries.length} claims to ${batch.programme}), recorded before the restart`);
        } catch (err) {
          // Its nonce is spent, so it can never be mined: the claims are judged by the chain again and
          // sent in a new batch (a claim the chain already settled is skipped there, never paid twice).
          this.log(`${batch.hash} can no longer be mined (${(err as Error).message.split("\n")[0]}); its ${entries.length} claims are queued again`);
          for (const e of entries) this.update(e.id, { status: "queued", txHash: undefined, batchSize: undefined });
          await this.store.landed(batch.hash, entries.map((e) => this.stored(e)));
          for (const e of entries) this.enqueue(e);
          return;
        }
      }
    }
    await this.await(batch.programme, batch.hash, entries, mined);
  }

  private stored(e: Entry): StoredClaim {
    return { record: this.records.get(e.id)!, claim: e.claim, attempts: e.attempts };
  }

  async health() {
    const [chainId, balance] = await Promise.all([this.getChainId(), this.publicClient.getBalance({ address: this.address })]);
    return {
      chainId,
      relayer: this.address,
      balanceWei: balance.toString(),
      factory: this.factory,
      maxBatch: this.maxBatch,
      batchIntervalMs: this.batchIntervalMs,
      queued: [...this.queues.values()].reduce((n, q) => n + q.length, 0),
    };
  }

  claim(id: string): ClaimRecord {
    const r = this.records.get(id);
    if (!r) throw new RelayerError("UnknownClaim", "No claim with this id is known to this relayer.");
    return { ...r };
  }

  /** POST /v1/claims: parses, rate-limits, validates and queues; throws a RelayerError on refusal. */
  async submit(body: unknown): Promise<{ id: string; status: "queued" }> {
    if (this.stopped) throw new RelayerError("RelayerUnavailable", "The relayer is shutting down.");
    const { programme, claim } = parseClaimRequest(body);
    try {
      await this.start();
    } catch (err) {
      this.log(`the store did not open: ${(err as Error).message}`);
      throw new RelayerError("RelayerUnavailable", "The relayer cannot reach its store; nothing was accepted. Try again later.");
    }
    const limited = this.limiter.take(await this.bucketOf(programme, claim));
    if (!limited.ok) {
      throw new RelayerError("RateLimited", `Too many requests for this account; try again in ${limited.retryAfterSeconds} s.`, {
        retryAfter: limited.retryAfterSeconds,
        params: { retryAfterSeconds: limited.retryAfterSeconds },
      });
    }
    const key = keyOf(programme, claim);
    if (this.active.has(key)) {
      throw new RelayerError("DuplicateRequest", "This leaf's tranche is already queued or submitted.", { params: { id: this.active.get(key) } });
    }
    try {
      await this.validate(programme, claim);
    } catch (err) {
      throw refusalFor(err);
    }
    // Validation awaited the chain: a twin request may have been queued meanwhile.
    if (this.active.has(key)) {
      throw new RelayerError("DuplicateRequest", "This leaf's tranche is already queued or submitted.", { params: { id: this.active.get(key) } });
    }
    const id = randomUUID();
    const record: ClaimRecord = {
      id,
      programme,
      index: claim.index.toString(),
      tranche: claim.tranche.toString(),
      account: claim.account,
      status: "queued",
    };
    this.active.set(key, id); // before the write: a twin arriving meanwhile is a duplicate
    try {
      await this.store.accept({ record, claim, attempts: 0 });
    } catch (err) {
      this.active.delete(key);
      this.log(`could not store claim ${id}: ${(err as Error).message}`);
      throw new RelayerError("RelayerUnavailable", "The relayer could not record the claim; nothing was accepted. Try again later.");
    }
    this.remember(record);
    this.enqueue({ id, programme, claim, attempts: 0 });
    return { id, status: "queued" };
  }

  /** Everything that can be checked before any gas is spent, cheapest and most telling first. */
  private async validate(programme: Address, claim: SignedRosterClaim) {
    const c = this.publicClient;
    const read = <T>(functionName: string, args: readonly unknown[] = []) =>
      c.readContract({ address: programme, abi: aidRosterProgrammeAbi, functionName, args } as never) as Promise<T>;

    if (!this.listed.has(programme)) {
      const listed = await c.readContract({ address: this.factory, abi: aidRosterFactoryAbi, functionName: "isProgramme", args: [programme] });
      if (!listed) throw new RelayerError("UnknownProgramme", "The roster factory does not list this programme.", { params: { factory: this.factory } });
      this.listed.add(programme); // a factory never unlists
    }

    const [block, balance, gasPrice, roster, nonce, chainId] = await Promise.all([
      c.getBlock({ blockTag: "latest" }),
      c.getBalance({ address: this.address }),
      this.minBalanceWei === undefined ? c.getGasPrice() : Promise.resolve(0n),
      read<{ root: Hex; version: number; leafCount: number }>("roster"),
      read<bigint>("claimNonce", [claim.account]),
      this.getChainId(),
    ]);

    const needed = this.minBalanceWei ?? GAS_PER_LONE_CLAIM * gasPrice;
    if (balance < needed) {
      throw new RelayerError("RelayerUnavailable", "The relayer is out of gas money; try again later or claim directly.");
    }
    if (claim.deadline <= block.timestamp + this.deadlineMargin) {
      throw new RelayerError(
        "SignatureExpired",
        claim.deadline <= block.timestamp ? "The signed claim's deadline has passed." : "The signed claim expires too soon to be relayed; sign it again.",
        { params: { deadline: claim.deadline, now: block.timestamp, marginSeconds: this.deadlineMargin } },
      );
    }
    if (roster.version === 0) throw new RelayerError("NotClaimable", "The programme has no roster yet.", { params: { error: "AidRosterNoRoster" } });
    if (claim.index >= BigInt(roster.leafCount)) {
      throw new RelayerError("InvalidProof", "The index is beyond the roster's signed leaf count.", { params: { leafCount: roster.leafCount } });
    }
    const computedRoot = foldProof(leafOf(claim), claim.proof);
    // A lost phone's successor (a roster leaf re-bind) claims without the leaf's proof: the contract pays it
    // as the payee its leaf record names, so the relayer accepts exactly that account.
    if (computedRoot !== roster.root.toLowerCase() && !(await this.isLeafPayee(programme, claim))) {
      // Covers a bad proof, another programme's proof, a replaced root, and a tampered account or amount.
      throw new RelayerError("InvalidProof", "The proof of (index, account, amount) does not lead to the programme's current roster root.", {
        params: { computedRoot, root: roster.root, version: roster.version },
      });
    }
    await this.checkSignature(chainId, programme, claim);
    if (claim.nonce !== nonce) {
      throw new RelayerError("StaleNonce", "The signed claim carries an old nonce; sign it again with the current one.", {
        params: { expected: nonce, signed: claim.nonce },
      });
    }
    // Paid, held, excluded, re-bound or withheld, windows, unlock times, pause, cancellation, balance: exactly
    // what the contract would say now, with its own error (a batch would only skip the entry).
    await this.simulateOne(programme, claim);
    // A batch runs each entry under the contract's per-claim gas cap: an entry that passes alone but not
    // under the cap (a contract wallet that spends too much receiving) would only be skipped.
    const { result: paid } = await c.simulateContract({
      address: programme,
      abi: aidRosterProgrammeAbi,
      functionName: "claimBatch",
      args: [[claim]],
      account: this.address,
    });
    if (paid !== 1n) {
      throw new RelayerError("WouldRevert", "A batch would skip this claim: paying the account takes more than the programme's per-claim gas cap.", {
        params: { error: "CLAIM_GAS_CAP" },
      });
    }
  }

  /** Whether the leaf's record names this account as the payee of its moved tranches (after a re-bind). */
  private async isLeafPayee(programme: Address, claim: SignedRosterClaim): Promise<boolean> {
    const record = (await this.publicClient.readContract({
      address: programme,
      abi: aidRosterProgrammeAbi,
      functionName: "leafRecord",
      args: [claim.index],
    })) as { payee: Address };
    return record.payee !== zeroAddress && record.payee.toLowerCase() === claim.account.toLowerCase();
  }

  /** The claim alone, as the batch would run it (claimBySig): throws the contract's refusal. */
  private async simulateOne(programme: Address, claim: SignedRosterClaim) {
    try {
      await this.publicClient.simulateContract({
        address: programme,
        abi: aidRosterProgrammeAbi,
        functionName: "claimBySig",
        args: [claim],
        account: this.address,
      });
    } catch (err) {
      throw refusalFor(err);
    }
  }

  /**
   * The rate-limit bucket a request counts against. Only a request the account itself signed (checked
   * locally, no RPC) draws on the account's own bucket; anything else draws on a separate one. Otherwise
   * anyone could post junk naming a household's address and lock that household out of gasless claims.
   * A contract wallet's signature cannot be checked locally, so its requests share that second bucket.
   */
  private async bucketOf(programme: Address, claim: SignedRosterClaim): Promise<string> {
    const account = claim.account.toLowerCase();
    try {
      const recovered = await recoverTypedDataAddress({ ...this.typedClaim(await this.getChainId(), programme, claim), signature: claim.signature });
      if (recovered.toLowerCase() === account) return account;
    } catch {
      // not a 65-byte ECDSA signature
    }
    return `unverified:${account}`;
  }

  private typedClaim(chainId: number, programme: Address, claim: SignedRosterClaim) {
    return {
      domain: rosterDomain(chainId, programme),
      types: CLAIM_TYPES,
      primaryType: "RosterClaim" as const,
      message: { index: claim.index, tranche: claim.tranche, account: claim.account, amount: claim.amount, nonce: claim.nonce, deadline: claim.deadline },
    };
  }

  /** ECDSA first, like the contract; otherwise ERC-1271 (a smart-wallet beneficiary) through an eth_call. */
  private async checkSignature(chainId: number, programme: Address, claim: SignedRosterClaim) {
    const typed = this.typedClaim(chainId, programme, claim);
    try {
      if ((await recoverTypedDataAddress({ ...typed, signature: claim.signature })) === claim.account) return;
    } catch {
      // not a 65-byte ECDSA signature: maybe a contract wallet's
    }
    let valid = false;
    try {
      valid = await this.publicClient.verifyTypedData({ ...typed, address: claim.account, signature: claim.signature });
    } catch {
      valid = false;
    }
    if (!valid) throw new RelayerError("BadSignature", "The signature is not the account's signature of this claim.", { params: { account: claim.account } });
  }

  private async getChainId(): Promise<number> {
    this.chainId ??= await this.publicClient.getChainId();
    return this.chainId;
  }

  private remember(r: ClaimRecord) {
    this.records.set(r.id, r);
    if (this.records.size <= this.maxRecords) return;
    for (const [id, old] of this.records) {
      if (this.records.size <= this.maxRecords) break;
      if (FINAL.has(old.status)) this.records.delete(id);
    }
  }

  private update(id: string, patch: Partial<ClaimRecord>) {
    const r = this.records.get(id);
    if (!r) return;
    Object.assign(r, patch);
    if (FINAL.has(r.status)) this.active.delete(`${r.programme}|${r.index}|${r.tranche}`);
  }

  /** Writes entries' current states; a write that fails is logged (memory stays right; a restart re-judges them). */
  private async persist(entries: Entry[]) {
    if (entries.length === 0) return;
    try {
      await this.store.save(entries.map((e) => this.stored(e)));
    } catch (err) {
      this.log(`could not store ${entries.length} claims' states: ${(err as Error).message}`);
    }
  }

  private enqueue(e: Entry) {
    const q = this.queues.get(e.programme) ?? [];
    this.queues.set(e.programme, q);
    q.push(e);
    if (q.length >= this.maxBatch) this.markDue(e.programme);
    else if (!this.timers.has(e.programme)) this.timers.set(e.programme, setTimeout(() => this.markDue(e.programme), this.batchIntervalMs));
  }

  private markDue(programme: Address) {
    clearTimeout(this.timers.get(programme));
    this.timers.delete(programme);
    if (!this.due.includes(programme)) this.due.push(programme);
    this.worker ??= this.work().finally(() => (this.worker = undefined));
  }

  /** One transaction in flight at a time: one key, one nonce sequence. */
  private async work() {
    while (this.due.length > 0) {
      const programme = this.due.shift()!;
      const q = this.queues.get(programme) ?? [];
      const batch = q.splice(0, this.maxBatch);
      if (q.length >= this.maxBatch || (q.length > 0 && this.stopped)) this.due.push(programme);
      else if (q.length > 0 && !this.timers.has(programme)) this.timers.set(programme, setTimeout(() => this.markDue(programme), this.batchIntervalMs));
      if (batch.length > 0) await this.sendBatch(programme, batch);
    }
  }

  private async fail(e: Entry, err: RelayerError) {
    this.update(e.id, { status: "failed", error: { code: err.code, message: err.message } });
    await this.persist([e]);
  }

  /** How many of the entries a claimBatch would pay now (the contract skips the others, each with its reason). */
  private async simulate(programme: Address, entries: Entry[]): Promise<bigint> {
    const { result } = await this.publicClient.simulateContract({
      address: programme,
      abi: aidRosterProgrammeAbi,
      functionName: "claimBatch",
      args: [entries.map((e) => e.claim)],
      account: this.address,
    });
    return result;
  }

  /**
   * Simulates, drops what would be skipped (so the relayer pays no gas for it), sends, waits, and reads
   * each claim's fate from the receipt.
   */
  private async sendBatch(programme: Address, unsorted: Entry[]): Promise<void> {
    // Consecutive indexes share a claimed-flags word: the second and later claims in a word write warm.
    let entries = [...unsorted].sort((a, b) =>
      a.claim.index === b.claim.index ? Number(a.claim.tranche - b.claim.tranche) : a.claim.index < b.claim.index ? -1 : 1,
    );
    let paid: bigint;
    try {
      paid = await this.simulate(programme, entries);
    } catch (err) {
      // The batch as a whole reverts (out of gas for its size) or the node did not answer.
      const refusal = refusalFor(err);
      if (refusal.code === "RelayerUnavailable" || entries.length === 1) return this.retryLater(programme, entries, refusal);
      for (const e of entries) await this.sendBatch(programme, [e]);
      return;
    }
    if (paid < BigInt(entries.length)) {
      // Something changed since validation (a pause, an invalidated nonce, a ruling, a leaf change): find who
      // fails alone, and say why with the contract's own error.
      const kept: Entry[] = [];
      for (const e of entries) {
        try {
          await this.simulateOne(programme, e.claim);
          kept.push(e);
        } catch (one) {
          const why = refusalFor(one);
          // Settled meanwhile (paid directly, held, excluded, re-bound or withheld: a 409): nothing for the
          // signer to fix, so "skipped", as the contract's own skip would say. Anything else is the
          // request's fault now (an invalidated nonce, an expired signature): "failed".
          if (why.status === 409) {
            this.update(e.id, { status: "skipped", error: { code: why.code, message: why.message } });
            await this.persist([e]);
          } else await this.fail(e, why);
        }
      }
      if (kept.length === entries.length) {
        // Each passes alone but not together (e.g. the balance covers only some): send them one by one.
        if (entries.length > 1) for (const e of kept) await this.sendBatch(programme, [e]);
        else await this.fail(entries[0], new RelayerError("WouldRevert", "A batch would skip this claim: paying the account takes more than the programme's per-claim gas cap.", { params: { error: "CLAIM_GAS_CAP" } }));
        return;
      }
      entries = kept;
      if (entries.length === 0) return;
      return this.sendBatch(programme, entries);
    }

    // Signed here, recorded, then broadcast: after a crash at any point the store holds either nothing
    // (the claims are still queued) or this exact transaction (followed or rebroadcast), never a twin.
    let hash: Hex;
    let raw: Hex;
    try {
      const request = await this.walletClient.prepareTransactionRequest({
        to: programme,
        data: encodeFunctionData({ abi: aidRosterProgrammeAbi, functionName: "claimBatch", args: [entries.map((e) => e.claim)] }),
      });
      raw = await this.walletClient.signTransaction(request as never);
      hash = keccak256(raw);
    } catch (err) {
      return this.retryLater(programme, entries, refusalFor(err));
    }
    for (const e of entries) this.update(e.id, { status: "submitted", txHash: hash, batchSize: entries.length });
    const unsend = () => {
      for (const e of entries) this.update(e.id, { status: "queued", txHash: undefined, batchSize: undefined });
    };
    try {
      await this.store.sending({ hash, raw, programme, ids: entries.map((e) => e.id) }, entries.map((e) => this.stored(e)));
    } catch (err) {
      unsend();
      this.log(`could not record batch ${hash}: ${(err as Error).message}`);
      return this.retryLater(programme, entries, new RelayerError("RelayerUnavailable", "The relayer could not record the batch before sending it."));
    }
    try {
      await this.walletClient.sendRawTransaction({ serializedTransaction: raw });
    } catch (err) {
      const known = await this.publicClient.getTransaction({ hash }).then(
        () => true,
        () => false,
      );
      if (!known) {
        unsend();
        await this.store.landed(hash, entries.map((e) => this.stored(e))).catch((w) => this.log(`could not store: ${(w as Error).message}`));
        return this.retryLater(programme, entries, refusalFor(err));
      }
    }
    this.log(`batch of ${entries.length} to ${programme}: ${hash}`);
    await this.await(programme, hash, entries);
  }

  /** Waits for a sent batch's receipt and reads each claim's fate from it. */
  private async await(programme: Address, hash: Hex, entries: Entry[], mined?: TransactionReceipt) {
    let receipt = mined;
    try {
      receipt ??= await this.publicClient.waitForTransactionReceipt({ hash, timeout: this.receiptTimeoutMs });
    } catch (err) {
      // The transaction may still be mined: say so instead of calling it failed. The claim leaves the
      // duplicate check, so a new request is judged by the chain (isSettled) again.
      for (const e of entries) {
        this.update(e.id, { error: { code: "RelayerUnavailable", message: `No receipt for ${hash} yet (${(err as Error).message.split("\n")[0]}); look the transaction up.` } });
        this.active.delete(`${e.programme}|${e.claim.index}|${e.claim.tranche}`);
      }
      // The batch stays in flight in the store: the next start follows it again.
      await this.persist(entries);
      this.log(`no receipt for ${hash}; its ${entries.length} claims stay "submitted"`);
      return;
    }
    await this.settle(programme, hash, entries, receipt);
  }

  private async settle(programme: Address, hash: Hex, entries: Entry[], receipt: TransactionReceipt) {
    const landed = () =>
      this.store.landed(hash, entries.map((e) => this.stored(e))).catch((err) => this.log(`could not store the fate of ${hash}: ${(err as Error).message}`));
    const blockNumber = receipt.blockNumber.toString();
    if (receipt.status !== "success") {
      for (const e of entries) {
        this.update(e.id, { blockNumber, status: "failed", error: { code: "WouldRevert", message: "The batch transaction reverted on chain." } });
      }
      return landed();
    }
    const logs = parseEventLogs({ abi: aidRosterProgrammeAbi, logs: receipt.logs.filter((l) => l.address.toLowerCase() === programme.toLowerCase()) });
    const confirmed = new Set<string>();
    const skipped = new Map<string, RelayerError>();
    for (const l of logs) {
      if (l.eventName === "Claimed") confirmed.add(`${l.args.index}|${l.args.tranche}`);
      if (l.eventName === "ClaimSkipped") skipped.set(`${l.args.index}|${l.args.tranche}`, skipReason(l.args.reason));
    }
    for (const e of entries) {
      const k = `${e.claim.index}|${e.claim.tranche}`;
      const why = skipped.get(k);
      if (confirmed.has(k)) this.update(e.id, { status: "confirmed", blockNumber });
      else if (why) this.update(e.id, { status: "skipped", blockNumber, error: { code: why.code, message: why.message } });
      else this.update(e.id, { status: "failed", error: { code: "WouldRevert", message: "The batch ran but neither paid nor skipped this claim." } });
    }
    await landed();
  }

  private async retryLater(programme: Address, entries: Entry[], why: RelayerError) {
    const again: Entry[] = [];
    for (const e of entries) {
      if (++e.attempts >= MAX_ATTEMPTS || this.stopped) this.update(e.id, { status: "failed", error: { code: why.code, message: why.message } });
      else again.push(e);
    }
    await this.persist(entries);
    this.log(`batch to ${programme} not sent (${why.message}); ${again.length} claims retried later`);
    if (again.length === 0) return;
    const q = this.queues.get(programme) ?? [];
    this.queues.set(programme, [...again, ...q]);
    if (!this.timers.has(programme)) this.timers.set(programme, setTimeout(() => this.markDue(programme), Math.max(this.batchIntervalMs, 500)));
  }

  /** Whether nothing is queued or being sent (tests and shutdown wait for it). */
  get idle(): boolean {
    return this.worker === undefined && [...this.queues.values()].every((q) => q.length === 0);
  }

  /** Sends every queued claim now and waits for the receipts (graceful shutdown). */
  async drain(): Promise<void> {
    for (const [programme, q] of this.queues) if (q.length > 0) this.markDue(programme);
    while (this.worker) await this.worker;
  }

  /** Refuses new claims, flushes what is queued, and stops the timers. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.store.close();
  }

  /** Every record (bounded), for diagnostics and the scale bench. */
  allRecords(): ClaimRecord[] {
    return [...this.records.values()].map((r) => jsonSafe(r));
  }
}

/**
 * Why the contract skipped a batch entry (its ClaimSkipped event carries the entry's revert data): the same
 * refusal a direct submission would have got, e.g. the household claimed directly (AlreadyClaimed) or
 * invalidated its signatures (StaleNonce) after the claim was queued. Empty data means the entry ran out of
 * its gas cap (a wallet that burns gas on receipt).
 */
export function skipReason(reason: Hex): RelayerError {
  const decoded = reason === "0x" ? undefined : decodeRevertData(reason);
  if (decoded) return refusalForContractError(decoded.name, decoded.args);
  return new RelayerError("WouldRevert", "The batch skipped this claim without a reason it can name (for example it ran out of its gas cap).", {
    params: { error: "unknown" },
  });
}
