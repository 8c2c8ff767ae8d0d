/**
 * The EIP-712 shape the escrow verifies for a signed claim (AidEscrow.claimBySig): the household signs
 * it on its phone, anyone may submit it, and the money still goes only to `recipient`. One place for
 * every signer and verifier (the dApp, the tests); nothing else may declare it. The domain is the
 * escrow's own, read from the contract (ERC-5267), never hard-coded.
 */
import type { Address, Hex } from "viem";

export const CLAIM_REQUEST_TYPES = {
  ClaimRequest: [
    { name: "projectId", type: "uint256" },
    { name: "commitment", type: "bytes32" },
    { name: "trancheIndex", type: "uint8" },
    { name: "recipient", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** What a household signs to claim one tranche. */
export interface ClaimRequestMessage {
  projectId: bigint;
  commitment: Hex;
  trancheIndex: number;
  recipient: Address;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The full typed data of a claim request under the escrow's domain (viem's signTypedData shape). */
export function claimRequestTypedData(domain: { name: string; version: string; chainId: number | bigint; verifyingContract: Address }, message: ClaimRequestMessage) {
  return { domain: { ...domain, chainId: Number(domain.chainId) }, types: CLAIM_REQUEST_TYPES, primaryType: "ClaimRequest" as const, message };
}
