/**
 * What the audit reads from the chain about roster programmes: the factory's and its programmes' events
 * (through the one log reader, lib/chain/logs.ts, each stamped with its block's time), and each
 * programme's balance and ledger() view at the audited block. The fold is lib/books/roster.ts.
 */
import { getAddress, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { aidRosterFactoryAbi } from "../generated/aidRosterFactory.ts";
import { aidRosterProgrammeAbi } from "../generated/aidRosterProgramme.ts";
import { BlockTimes } from "../chain/block-times.ts";
import { DEFAULT_MAX_RANGE, readEvents, type ChainEvent } from "../chain/logs.ts";
import { plainArgs } from "../escrow/events.ts";
import { balanceAt } from "../escrow/audit.ts";
import type { RosterEvent, RosterLedgerView } from "../books/roster.ts";

export interface RosterFetchOptions {
  factory: string;
  fromBlock: number;
  toBlock: number;
  /** At most this many blocks per eth_getLogs (default 2,000). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const plainRosterEvent = (e: ChainEvent): RosterEvent => ({
  address: getAddress(e.address),
  name: e.name,
  blockNumber: Number(e.blockNumber),
  logIndex: e.logIndex,
  transactionHash: e.transactionHash,
  args: plainArgs(e.args),
  timestamp: e.timestamp!,
});

/**
 * Every event of the roster factory and of the programmes it created in [fromBlock, toBlock], each
 * stamped with its block's timestamp (the books check claims and refunds against windows in chain
 * time). Two passes: the factory's ProgrammeCreated events name the programmes, then the programmes'
 * own logs are read from the first creation block on.
 */
export async function fetchRosterEvents(client: Client, o: RosterFetchOptions) {
  const maxRange = Math.max(1, o.chunkSize ?? Number(DEFAULT_MAX_RANGE));
  const span = o.toBlock - o.fromBlock + 1;
  const times = new BlockTimes(client);
  const factory = getAddress(o.factory);
  const created = await readEvents(client, {
    sources: [{ address: factory, abi: aidRosterFactoryAbi, contract: "AidRosterFactory" }],
    fromBlock: o.fromBlock,
    toBlock: o.toBlock,
    maxRange,
    timestamps: times,
    onProgress: (done) => o.onProgress?.(done, span * 2),
  });
  const programmes = created.events.filter((e) => e.name === "ProgrammeCreated").map((e) => getAddress(e.args.programme as string));
  const events: ChainEvent[] = [...created.events];
  let requests = created.requests;
  if (programmes.length) {
    const from = Math.min(...created.events.map((e) => Number(e.blockNumber)));
    const own = await readEvents(client, {
      sources: programmes.map((address) => ({ address, abi: aidRosterProgrammeAbi, contract: "AidRosterProgramme" })),
      fromBlock: from,
      toBlock: o.toBlock,
      maxRange,
      timestamps: times,
      onProgress: (done, total) => o.onProgress?.(span + Math.round((done / total) * span), span * 2),
    });
    events.push(...own.events);
    requests += own.requests;
  }
  events.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  return { events: events.map(plainRosterEvent), programmes, requests };
}

/** The factory's programme count, and each programme's balance of its token and ledger() view, read at `blockTag`. */
export async function readRosterState(client: Client, factory: string, programmes: { programme: string; token: string }[], blockTag: number) {
  const blockNumber = BigInt(blockTag);
  const programmeCount = Number(await readContract(client, { address: factory as Address, abi: aidRosterFactoryAbi, functionName: "programmeCount", blockNumber }));
  const balances: Record<string, bigint> = {};
  const views: Record<string, RosterLedgerView> = {};
  for (const { programme, token } of programmes) {
    balances[programme] = await balanceAt(client, token, programme, blockNumber);
    const view = await readContract(client, { address: programme as Address, abi: aidRosterProgrammeAbi, functionName: "ledger", blockNumber });
    views[programme] = { raised: view.raised, refunded: view.refunded, rosterTotal: view.rosterTotal, donors: view.donors };
  }
  return { programmeCount, balances, views };
}
