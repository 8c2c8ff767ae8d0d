"use client";
/**
 * The one write path (Scaffold-ETH's habit): check the network, simulate, send, show it pending, wait,
 * show it confirmed (in words where money moved) with the hash and a link, refresh the books; or decode what went wrong into a
 * sentence in the user's language. A rejected signature is a notice, not an error.
 */
import { useCallback, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { Abi, Address, Hex, TransactionReceipt } from "viem";
import { decodeWebError, type WebError } from "@/lib/errors/decode";
import { useActiveChain } from "./useWallet";

export interface WriteRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

export type WriteState =
  | { status: "idle" }
  | { status: "simulating" }
  | { status: "signing" }
  | { status: "pending"; hash: Hex; chainId: number }
  /** `done`: what happened, in the user's language ("you gave 1.5 ETH to #4 Danxi school meals"). */
  | { status: "confirmed"; hash: Hex; chainId: number; done?: string }
  | { status: "rejected" }
  | { status: "error"; error: WebError; hash?: Hex };

export function useWrite() {
  const config = useConfig();
  const queryClient = useQueryClient();
  const { address, chainId, wrongNetwork, isConnected } = useActiveChain();
  const [state, setState] = useState<WriteState>({ status: "idle" });

  const write = useCallback(
    /**
     * `done`: the sentence that says, in words, what the confirmed transaction did; every write that moves
     * money passes one (amount and token, to or from whom), so a confirmation is never only a hash.
     */
    async (req: WriteRequest, done?: string): Promise<TransactionReceipt | undefined> => {
      if (!isConnected || !address) {
        setState({ status: "error", error: { kind: "unknown", message: "not connected" } });
        return undefined;
      }
      if (wrongNetwork) {
        setState({ status: "error", error: { kind: "wrongNetwork" } });
        return undefined;
      }
      try {
        setState({ status: "simulating" });
        const { request } = await simulateContract(config, { ...req, account: address, chainId } as never);
        setState({ status: "signing" });
        const hash = await writeContract(config, request as never);
        setState({ status: "pending", hash, chainId });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId } as never);
        if (receipt.status !== "success") {
          setState({ status: "error", error: { kind: "unknown", message: "reverted" }, hash });
          return undefined;
        }
        setState({ status: "confirmed", hash, chainId, done });
        await queryClient.invalidateQueries();
        return receipt;
      } catch (err) {
        const decoded = decodeWebError(err);
        if (decoded.kind === "rejected") setState({ status: "rejected" });
        else setState({ status: "error", error: decoded });
        return undefined;
      }
    },
    [config, queryClient, address, chainId, wrongNetwork, isConnected],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  const busy = state.status === "simulating" || state.status === "signing" || state.status === "pending";
  return { write, state, reset, busy, canWrite: isConnected && !wrongNetwork };
}
