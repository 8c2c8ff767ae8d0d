"use client";
/**
 * The one write path (Scaffold-ETH's habit): check the network, simulate, send, show it pending, wait,
 * show it confirmed (in words where money moved) with the hash and a link, refresh what the islands read
 * and the page's server-rendered sections (router.refresh()); or decode what went wrong into a sentence in
 * the user's language. A rejected signature is a notice, not an error.
 *
 * Typed all the way (Scaffold-ETH's useScaffoldWriteContract): `write` is generic over the generated
 * `as const` ABIs (lib/generated/*), so a function name that is not a writing function of the ABI, or
 * arguments of the wrong shape, do not compile; `value` is accepted only for payable functions
 * (lib/chain/calls.ts).
 */
import { useCallback, useState } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useConfig } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import type { Abi, ContractFunctionArgs, ContractFunctionName, Hex, TransactionReceipt } from "viem";
import type { ContractWrite, WriteMutability, WriteRequest } from "@/lib/chain/calls";
import { decodeWebError, type WebError } from "@/lib/errors/decode";
import { useActiveChain } from "./useWallet";

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
  const router = useRouter();
  const { address, chainId, wrongNetwork, isConnected } = useActiveChain();
  const [state, setState] = useState<WriteState>({ status: "idle" });

  const send = useCallback(
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
        const { request } = await simulateContract(config, { ...req, account: address, chainId });
        setState({ status: "signing" });
        const hash = await writeContract(config, request);
        setState({ status: "pending", hash, chainId });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId });
        if (receipt.status !== "success") {
          setState({ status: "error", error: { kind: "unknown", message: "reverted" }, hash });
          return undefined;
        }
        setState({ status: "confirmed", hash, chainId, done });
        await queryClient.invalidateQueries();
        // The page's server components (books, money, statuses) read the chain again.
        router.refresh();
        return receipt;
      } catch (err) {
        const decoded = decodeWebError(err);
        if (decoded.kind === "rejected") setState({ status: "rejected" });
        else setState({ status: "error", error: decoded });
        return undefined;
      }
    },
    [config, queryClient, router, address, chainId, wrongNetwork, isConnected],
  );

  /**
   * Sends a write checked against its ABI. `done`: the sentence that says, in words, what the confirmed
   * transaction did; every write that moves money passes one (amount and token, to or from whom), so a
   * confirmation is never only a hash.
   */
  const write = useCallback(
    <const abi extends Abi | readonly unknown[], fn extends ContractFunctionName<abi, WriteMutability>, const args extends ContractFunctionArgs<abi, WriteMutability, fn>>(
      req: ContractWrite<abi, fn, args>,
      done?: string,
    ) => send(req as WriteRequest, done),
    [send],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  const busy = state.status === "simulating" || state.status === "signing" || state.status === "pending";
  return { write, state, reset, busy, canWrite: isConnected && !wrongNetwork };
}
