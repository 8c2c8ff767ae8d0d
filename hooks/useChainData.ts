"use client";
/**
 * Read hooks every page builds on, free of wallet code: which chain we read, the books rebuilt from
 * events (one cached query per chain, refreshed after every confirmed write), chain time, and any
 * other read through the batched viem client.
 */
import { useSyncExternalStore } from "react";
import { useQuery } from "@tanstack/react-query";
import type { Client } from "viem";
import { getBlock } from "viem/actions";
import { defaultChainId, deploymentOn, type Deployment } from "@/lib/chain/deployments";
import { buildEscrowBooks, readEscrowEvents, type EscrowBooks, type ProjectBook } from "@/lib/escrow/events";
import { BATCHED_BLOCK_READS, readClient } from "@/lib/chain/client";
import { walletBridge } from "@/lib/wallet/walletBridge";
import { cachedTokenInfo, readTokenInfo, readTokenInfos, seedTokenInfos, type TokenInfo } from "@/lib/chain/tokens";

const serverSnapshot = {};

export interface ReadChain {
  /** Chain the pages read from: the wallet's when the dApp is deployed there, else the default. */
  chainId: number;
  deployment?: Deployment;
  /** The connected account, once the wallet layer has loaded (undefined before, or when not connected). */
  address?: `0x${string}`;
}

export function useReadChain(): ReadChain {
  const wallet = useSyncExternalStore(walletBridge.subscribe, walletBridge.get, () => serverSnapshot as ReturnType<typeof walletBridge.get>);
  const chainId = wallet.chainId && deploymentOn(wallet.chainId) ? wallet.chainId : defaultChainId();
  return { chainId, deployment: deploymentOn(chainId), address: wallet.address };
}

/** Any read through the batched client, cached by react-query under ["chain", chainId, ...key]. */
export function useChainQuery<T>(key: readonly unknown[], read: (client: Client, d: Deployment) => Promise<T>, enabled = true) {
  const { chainId, deployment } = useReadChain();
  return useQuery({
    queryKey: ["chain", chainId, ...key],
    enabled: enabled && !!deployment,
    queryFn: () => read(readClient(chainId), deployment!),
  });
}

export interface EscrowSnapshot {
  books: EscrowBooks;
  /** Chain time at the block the books was read at (the demo chain runs ahead of wall time). */
  now: number;
  blockNumber: bigint;
  requests: number;
  /** Symbol and decimals of every project's token (lower-case address), read in the same pass. */
  tokens?: Record<string, TokenInfo>;
}

/** Rendered on the server by lib/server/escrowSnapshot.ts and handed to the page's client component. */
export interface InitialEscrowBooks {
  chainId: number;
  snapshot: EscrowSnapshot;
}

export function useEscrowBooks(initial?: InitialEscrowBooks) {
  const { chainId, deployment } = useReadChain();
  const seed = initial && initial.chainId === chainId ? initial.snapshot : undefined;
  // Idempotent: lets every <Amount> of the first paint (server and hydration) find its token at once.
  if (seed) seedTokenInfos(chainId, seed.tokens);
  return useQuery({
    initialData: seed,
    initialDataUpdatedAt: seed ? Date.now() : undefined,
    queryKey: ["books", chainId, deployment?.escrow],
    enabled: !!deployment,
    staleTime: 4_000,
    queryFn: async (): Promise<EscrowSnapshot> => {
      const client = readClient(chainId);
      const block = await getBlock(client);
      const { events, requests } = await readEscrowEvents(client, {
        escrow: deployment!.escrow,
        registry: deployment!.registry,
        fromBlock: deployment!.deploymentBlock,
        toBlock: block.number,
        timestamps: true,
        // The read client batches JSON-RPC: each round of block reads is one HTTP request.
        timestampConcurrency: BATCHED_BLOCK_READS,
      });
      const books = buildEscrowBooks(events);
      const tokens = await readTokenInfos(client, chainId, [...books.projects.values()].map((p) => p.terms.token));
      return { books, now: Number(block.timestamp), blockNumber: block.number, requests, tokens };
    },
  });
}

/**
 * Symbol and decimals of a token (ETH for address(0)), from the chain; undefined while unknown.
 * Usually already cached by the books read (or the server's first paint), so no extra request.
 */
export function useTokenInfo(token: string | undefined): TokenInfo | undefined {
  const { chainId } = useReadChain();
  const cached = token ? cachedTokenInfo(chainId, token) : undefined;
  const q = useQuery({
    queryKey: ["token", chainId, token?.toLowerCase()],
    enabled: !!token && !cached,
    staleTime: Infinity,
    gcTime: Infinity,
    queryFn: () => readTokenInfo(readClient(chainId), chainId, token as `0x${string}`),
  });
  return cached ?? q.data;
}
