/**
 * The escrow's and the registry's events, read through the one log reader (lib/chain/logs.ts) and
 * decoded with viem, for the fold of lib/books/escrow.ts: the dApp (with block times, for its pages) and
 * the audit CLI (without, and written out as plain JSON for --events-out) read them the same way.
 */
import type { Address, Client } from "viem";
import { aidEscrowAbi } from "../generated/aidEscrow.ts";
import { aidRegistryAbi } from "../generated/aidRegistry.ts";
import type { EscrowEvent } from "../books/escrow.ts";
import { readEvents, type ReadLogsOptions } from "../chain/logs.ts";
import type { BlockTimes } from "../chain/block-times.ts";

export {
  buildEscrowBooks,
  buildAttesterProof,
  currentAttestations,
  donorAllocation,
  heldByToken,
  type AttestationRecord,
  type HouseholdBook,
  type EnrolmentState,
  type EscrowEvent,
  type EscrowBooks,
  type OfficialRecord,
  type ProjectBook,
} from "../books/escrow.ts";

/** Which of the two contracts emitted an event (the fold goes by the event name: they share none). */
export type EscrowContract = "AidEscrow" | "AidRegistry";

export interface EscrowEventsOptions extends Omit<ReadLogsOptions, "address"> {
  escrow: Address;
  registry: Address;
  /** Stamp events with their block's time (the dApp does; the audit does not need it). */
  timestamps?: BlockTimes | boolean;
  /** Block reads in flight at once for the timestamps (see lib/chain/logs.ts). */
  timestampConcurrency?: number;
}

/** Every escrow and registry event in the range, decoded, in chain order. */
export async function readEscrowEvents(client: Client, o: EscrowEventsOptions) {
  const { escrow, registry, ...rest } = o;
  const read = await readEvents<EscrowContract>(client, {
    ...rest,
    sources: [
      { address: escrow, abi: aidEscrowAbi, contract: "AidEscrow" },
      { address: registry, abi: aidRegistryAbi, contract: "AidRegistry" },
    ],
  });
  return { ...read, events: read.events as (EscrowEvent & { contract: EscrowContract; blockNumber: bigint })[] };
}

/**
 * An event as JSON carries it (the audit's --events-out file): integers as decimal strings, addresses
 * checksummed, tuples as objects, block numbers as numbers. The fold takes either form.
 */
export interface PlainEvent {
  contract: string;
  name: string;
  blockNumber: number;
  logIndex: number;
  transactionHash: string;
  args: Record<string, any>;
}

/** Integers (bigints, and the small ones viem decodes as numbers) as decimal strings, recursively. */
export function plainArgs(value: unknown): any {
  if (typeof value === "bigint" || typeof value === "number") return value.toString();
  if (Array.isArray(value)) return value.map(plainArgs);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainArgs(v)]));
  return value;
}

export function plainEvent(e: { contract: string; name: string; blockNumber: bigint | number; logIndex: number; transactionHash: string; args: Record<string, any> }): PlainEvent {
  return { contract: e.contract, name: e.name, blockNumber: Number(e.blockNumber), logIndex: e.logIndex, transactionHash: e.transactionHash, args: plainArgs(e.args) };
}
