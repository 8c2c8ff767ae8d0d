"use client";
/**
 * Domain hooks every page builds on: which chain we read and write, the ledger rebuilt from events
 * (one cached query per chain, refreshed after every confirmed write), and chain time.
 */
import { useQuery } from "@tanstack/react-query";
import { useChainId, useConnection, useChains, usePublicClient } from "wagmi";
import type { Address, PublicClient } from "viem";
import { defaultChainId, deploymentOn, type WebDeployment } from "@/lib/web/chain";
import { buildLedger, fetchChainEvents, type Ledger, type ProjectBook } from "@/lib/web/ledger";
import type { ProjectStatusName } from "@/lib/web/format";

export interface ActiveChain {
  /** Chain the pages read from: the wallet's when it is configured and deployed, else the default. */
  chainId: number;
  deployment?: WebDeployment;
  address?: Address;
  isConnected: boolean;
  /** A wallet is connected to a chain the dApp does not support: writes are disabled. */
  wrongNetwork: boolean;
  walletChainId?: number;
}

export function useActiveChain(): ActiveChain {
  const connection = useConnection();
  const chains = useChains();
  const configChainId = useChainId();
  const walletChainId = connection.isConnected ? connection.chainId : undefined;
  const walletSupported = walletChainId !== undefined && chains.some((c) => c.id === walletChainId) && !!deploymentOn(walletChainId);
  const chainId = walletSupported ? walletChainId! : deploymentOn(configChainId) ? configChainId : defaultChainId();
  return {
    chainId,
    deployment: deploymentOn(chainId),
    address: connection.isConnected ? connection.address : undefined,
    isConnected: connection.isConnected,
    wrongNetwork: connection.isConnected && !walletSupported,
    walletChainId,
  };
}

export interface LedgerSnapshot {
  ledger: Ledger;
  /** Chain time at the block the ledger was read at (the demo chain runs ahead of wall time). */
  now: number;
  blockNumber: bigint;
  requests: number;
}

export function useLedger() {
  const { chainId, deployment } = useActiveChain();
  const client = usePublicClient({ chainId }) as PublicClient | undefined;
  return useQuery({
    queryKey: ["ledger", chainId, deployment?.escrow],
    enabled: !!client && !!deployment,
    staleTime: 4_000,
    queryFn: async (): Promise<LedgerSnapshot> => {
      const block = await client!.getBlock();
      const { events, requests } = await fetchChainEvents(client!, {
        escrow: deployment!.escrow,
        registry: deployment!.registry,
        fromBlock: deployment!.deploymentBlock,
        toBlock: block.number,
      });
      return { ledger: buildLedger(events), now: Number(block.timestamp), blockNumber: block.number, requests };
    },
  });
}

/** The status the escrow's projectStatus() view would give, derived from events and chain time. */
export function statusOf(p: ProjectBook, now: number): ProjectStatusName {
  if (p.cancelledAt !== undefined) return "Cancelled";
  if (now >= p.terms.claimDeadline) return "Closed";
  if (now < p.terms.fundingDeadline) return "Funding";
  return "Active";
}
