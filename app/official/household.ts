"use client";
import { readContract } from "wagmi/actions";
import type { Config } from "wagmi";
import { isAddress, type Address, type Hex } from "viem";
import { aidRegistryAbi } from "@/lib/generated/aidRegistry";

/** A household typed as its commitment (0x + 64 hex) or its bound address (0x + 40 hex). */
export async function resolveHousehold(config: Config, registry: Address, chainId: number, input: string): Promise<Hex | undefined> {
  const v = input.trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(v)) return v.toLowerCase() as Hex;
  if (isAddress(v, { strict: false })) {
    const c = (await readContract(config, { address: registry, abi: aidRegistryAbi, functionName: "commitmentOf", args: [v as Address], chainId } as never)) as Hex;
    return /^0x0{64}$/.test(c) ? undefined : c;
  }
  return undefined;
}
