/**
 * The escrow pages' reads, on the server: the pages are server components (the roster pages' shape), so
 * the books are in the first HTML and neither the log reader, the fold nor any ABI counts in a page's
 * first-load JavaScript; the wallet islands beside each page write, and after a confirmed write the page
 * re-renders here (router.refresh()). Every page reads through this module, so the source can change
 * (an indexer, issue 15) without touching the pages.
 *
 * The books are read from the events once per block: a request at the same block as the last read
 * reuses it (the chain cannot have changed), and React's cache() shares one read between a page and its
 * metadata.
 */
import { cache } from "react";
import type { Address } from "viem";
import { getBlock } from "viem/actions";
import { defaultChainId, deploymentOn, type Deployment } from "../chain/deployments.ts";
import { buildEscrowBooks, readEscrowEvents, type EscrowBooks } from "../escrow/events.ts";
import { BATCHED_BLOCK_READS, readClient, readView } from "../chain/client.ts";
import { ETH_INFO, isEth, readTokenInfo, readTokenInfos, type TokenInfo } from "../chain/tokens.ts";
import { aidEscrowAbi } from "../generated/aidEscrow.ts";

export interface EscrowView {
  chainId: number;
  deployment: Deployment;
  books: EscrowBooks;
  /** Chain time at the block the books were read at (the demo chain runs ahead of wall time). */
  now: number;
  blockNumber: bigint;
  /** eth_getLogs requests the read made. */
  requests: number;
  /** Symbol and decimals of every project's token, by lower-case address (ETH included). */
  tokens: Record<string, TokenInfo>;
}

/** What a page shows when it cannot read: no deployment on the chain, or the node did not answer. */
export type EscrowRead = { ok: true; view: EscrowView } | { ok: false; reason: "noDeployment" | "readFailed" };

let last: EscrowView | undefined;

async function read(): Promise<EscrowRead> {
  const chainId = defaultChainId();
  const deployment = deploymentOn(chainId);
  if (!deployment) return { ok: false, reason: "noDeployment" };
  try {
    const client = readClient(chainId);
    const block = await getBlock(client);
    if (last && last.chainId === chainId && last.deployment.escrow === deployment.escrow && last.blockNumber === block.number) return { ok: true, view: last };
    const { events, requests } = await readEscrowEvents(client, {
      escrow: deployment.escrow,
      registry: deployment.registry,
      fromBlock: deployment.deploymentBlock,
      toBlock: block.number,
      timestamps: true,
      timestampConcurrency: BATCHED_BLOCK_READS,
    });
    const books = buildEscrowBooks(events);
    const tokens = await readTokenInfos(client, chainId, [...books.projects.values()].map((p) => p.terms.token));
    last = { chainId, deployment, books, now: Number(block.timestamp), blockNumber: block.number, requests, tokens };
    return { ok: true, view: last };
  } catch {
    return { ok: false, reason: "readFailed" };
  }
}

/** The escrow's books at the latest block (one read per request, and per block). */
export const loadEscrow = cache(read);

/** A token's symbol and decimals, as the view read them (ETH for address(0)); undefined when its decimals could not be read (never guessed). */
export function tokenOf(view: Pick<EscrowView, "tokens">, token: Address | string): TokenInfo | undefined {
  return isEth(token) ? ETH_INFO : view.tokens[token.toLowerCase()];
}

/** What the create-project form needs: chain time, the escrow's limits, and the stablecoin's symbol and decimals. */
export async function loadManagerForm() {
  const read = await loadEscrow();
  if (!read.ok) return read;
  const { view } = read;
  const client = readClient(view.chainId);
  const escrow = view.deployment.escrow;
  try {
    const [maxConditions, maxThreshold, maxTranches, stablecoin] = await Promise.all([
      readView(client, { address: escrow, abi: aidEscrowAbi, functionName: "MAX_CONDITIONS" }),
      readView(client, { address: escrow, abi: aidEscrowAbi, functionName: "MAX_THRESHOLD" }),
      readView(client, { address: escrow, abi: aidEscrowAbi, functionName: "MAX_TRANCHES" }),
      view.deployment.stablecoin ? readTokenInfo(client, view.chainId, view.deployment.stablecoin).catch(() => undefined) : undefined,
    ]);
    return {
      ok: true as const,
      form: {
        now: view.now,
        limits: { maxConditions: Number(maxConditions), maxThreshold: Number(maxThreshold), maxTranches: Number(maxTranches) },
        stablecoin: view.deployment.stablecoin && stablecoin ? { address: view.deployment.stablecoin, info: stablecoin } : undefined,
      },
    };
  } catch {
    return { ok: false as const, reason: "readFailed" as const };
  }
}
