/**
 * The EIP-712 shapes the escrow verifies: a signed claim (AidEscrow.claimBySig: the household signs it on
 * its phone, anyone may submit it, and the money still goes only to `recipient`) and the k officials'
 * approval of an exit (AidEscrow.recordExit). One place for every signer and verifier (the dApp, the
 * CLIs, the relayer, the tests); nothing else may declare them. The domain is the escrow's own, read
 * from the contract (ERC-5267), never hard-coded.
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

/**
 * What each of k officials signs to record a household's exit from one project (docs/DECISIONS.md E6).
 * `enrolledAt` binds the approval to one enrolment, so it cannot be replayed after a re-entry.
 */
export const EXIT_APPROVAL_TYPES = {
  ExitApproval: [
    { name: "projectId", type: "uint256" },
    { name: "commitment", type: "bytes32" },
    { name: "reasonHash", type: "bytes32" },
    { name: "enrolledAt", type: "uint40" },
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

/** One official's approval of an exit. */
export interface ExitApprovalMessage {
  projectId: bigint;
  commitment: Hex;
  reasonHash: Hex;
  enrolledAt: number;
  deadline: bigint;
}

/** The full typed data of an exit approval under the escrow's domain. */
export function exitApprovalTypedData(domain: { name: string; version: string; chainId: number | bigint; verifyingContract: Address }, message: ExitApprovalMessage) {
  return { domain: { ...domain, chainId: Number(domain.chainId) }, types: EXIT_APPROVAL_TYPES, primaryType: "ExitApproval" as const, message };
}
