/**
 * The public ledger in the browser: every escrow and registry event read from the deployment block in
 * chunks (public RPCs cap eth_getLogs ranges) and decoded with viem, then folded by lib/books/escrow.ts
 * (the same fold the audit CLI uses) into per-project books, per-household records and per-official
 * records. The audit page compares its totals with the escrow's balances to show conservation holding.
 */
import { decodeEventLog, type Address, type Client, type Hex, type Log } from "viem";
import { getBlock, getBlockNumber, getLogs } from "viem/actions";
import { aidEscrowAbi, aidRegistryAbi } from "../generated/contracts.ts";
import type { EscrowEvent } from "../books/escrow.ts";

export {
  buildLedger,
  buildAttesterProof,
  currentAttestations,
  donorAllocation,
  heldByToken,
  type AttestationRecord,
  type BeneficiaryBook,
  type EnrolmentState,
  type EscrowEvent,
  type Ledger,
  type OfficialRecord,
  type ProjectBook,
} from "../books/escrow.ts";

export const LOG_CHUNK = 2_000n;

/** An event as viem decodes it (bigint arguments), ready for the fold. */
export interface ChainEvent extends EscrowEvent {
  contract: "escrow" | "registry";
  blockNumber: bigint;
  transactionHash: Hex;
  /** Block timestamp (seconds), filled after fetching. */
  timestamp?: number;
}

export async function fetchChainEvents(
  client: Client,
  o: { escrow: Address; registry: Address; fromBlock: bigint; toBlock?: bigint; chunk?: bigint },
): Promise<{ events: ChainEvent[]; toBlock: bigint; requests: number }> {
  const toBlock = o.toBlock ?? (await getBlockNumber(client));
  const chunk = o.chunk ?? LOG_CHUNK;
  const ranges: [bigint, bigint][] = [];
  for (let start = o.fromBlock; start <= toBlock; start += chunk) {
    ranges.push([start, start + chunk - 1n < toBlock ? start + chunk - 1n : toBlock]);
  }
  const results = await Promise.all(
    ranges.map(([fromBlock, to]) => getLogs(client, { address: [o.escrow, o.registry], fromBlock, toBlock: to })),
  );
  const events: ChainEvent[] = [];
  for (const log of results.flat()) {
    const e = decodeChainLog(log, log.address.toLowerCase() === o.escrow.toLowerCase() ? "escrow" : "registry");
    if (e) events.push(e);
  }
  events.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1));
  // Timestamps: one getBlock per distinct block (batched by the http transport).
  const blocks = [...new Set(events.map((e) => e.blockNumber))];
  const stamps = await Promise.all(blocks.map((n) => getBlock(client, { blockNumber: n }).then((b) => [n, Number(b.timestamp)] as const)));
  const at = new Map(stamps);
  for (const e of events) e.timestamp = at.get(e.blockNumber);
  return { events, toBlock, requests: ranges.length };
}

export function decodeChainLog(log: Log, contract: ChainEvent["contract"]): ChainEvent | undefined {
  try {
    const d = decodeEventLog({ abi: contract === "escrow" ? aidEscrowAbi : aidRegistryAbi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return {
      contract,
      name: d.eventName as string,
      args: (d.args ?? {}) as Record<string, any>,
      blockNumber: log.blockNumber ?? 0n,
      logIndex: log.logIndex ?? 0,
      transactionHash: log.transactionHash ?? "0x",
    };
  } catch {
    return undefined;
  }
}
