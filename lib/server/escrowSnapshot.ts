/**
 * Server-side first paint: public pages read the books while rendering, so the HTML already holds the
 * project (good LCP on slow phones, readable without JavaScript); the browser then keeps it fresh
 * through the same query (hooks/useChainData.ts, initial data). Any failure (node down) just means the
 * browser loads it itself.
 */
import { getBlock } from "viem/actions";
import { defaultChainId, deploymentOn } from "../chain/deployments.ts";
import { buildEscrowBooks, readEscrowEvents } from "../escrow/events.ts";
import { BATCHED_BLOCK_READS, readClient } from "../chain/client.ts";
import { readTokenInfos } from "../chain/tokens.ts";

export async function loadEscrowSnapshot() {
  const chainId = defaultChainId();
  const d = deploymentOn(chainId);
  if (!d) return undefined;
  try {
    const client = readClient(chainId);
    const block = await getBlock(client);
    const { events, requests } = await readEscrowEvents(client, { escrow: d.escrow, registry: d.registry, fromBlock: d.deploymentBlock, toBlock: block.number, timestamps: true, timestampConcurrency: BATCHED_BLOCK_READS });
    const books = buildEscrowBooks(events);
    const tokens = await readTokenInfos(client, chainId, [...books.projects.values()].map((p) => p.terms.token));
    return { chainId, snapshot: { books, now: Number(block.timestamp), blockNumber: block.number, requests, tokens } };
  } catch {
    return undefined;
  }
}
