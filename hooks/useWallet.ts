"use client";
/**
 * Wallet-side hook (wagmi): only for components inside a wallet island (components/wallet/WalletRoot).
 */
import { useChains, useConnection } from "wagmi";
import type { Address } from "viem";
import { deploymentOn, type Deployment } from "@/lib/chain/deployments";
import { useReadChain } from "./useChainData";

export interface ActiveChain {
  chainId: number;
  deployment?: Deployment;
  address?: Address;
  isConnected: boolean;
  /** A wallet is connected to a chain the dApp does not support: writes are disabled. */
  wrongNetwork: boolean;
  walletChainId?: number;
}

export function useActiveChain(): ActiveChain {
  const connection = useConnection();
  const chains = useChains();
  const read = useReadChain();
  const walletChainId = connection.isConnected ? connection.chainId : undefined;
  const walletSupported = walletChainId !== undefined && chains.some((c) => c.id === walletChainId) && !!deploymentOn(walletChainId);
  const chainId = walletSupported ? walletChainId! : read.chainId;
  return {
    chainId,
    deployment: deploymentOn(chainId),
    address: connection.isConnected ? connection.address : undefined,
    isConnected: connection.isConnected,
    wrongNetwork: connection.isConnected && !walletSupported,
    walletChainId,
  };
}
