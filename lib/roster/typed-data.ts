/**
 * The EIP-712 shapes the roster programme verifies, in one place for every signer and verifier: the
 * officials' CLI and tests (root approvals), the dApp and the relayer (signed claims). A drift between
 * a signer's copy and the contract's type string would make every signature fail, so nothing else may
 * declare them. The contract's own type strings are ROOT_APPROVAL_TYPEHASH and CLAIM_TYPEHASH;
 * test/roster/SignedClaims.ts checks these shapes hash to the same values.
 */

/** The domain name and version of AidRosterProgramme's EIP712 constructor. */
export const ROSTER_DOMAIN_NAME = "PrecisionAid AidRosterProgramme";
export const ROSTER_DOMAIN_VERSION = "1";

/** The EIP-712 domain of one programme: the verifying contract binds every signature to it. */
export function rosterDomain(chainId: number | bigint, programme: string) {
  return { name: ROSTER_DOMAIN_NAME, version: ROSTER_DOMAIN_VERSION, chainId: BigInt(chainId), verifyingContract: programme as `0x${string}` };
}

export const ROOT_APPROVAL_TYPES = {
  RootApproval: [
    { name: "root", type: "bytes32" },
    { name: "version", type: "uint32" },
    { name: "leafCount", type: "uint32" },
    { name: "rosterTotal", type: "uint256" },
    { name: "contentHash", type: "bytes32" },
  ],
} as const;

export const CLAIM_TYPES = {
  RosterClaim: [
    { name: "index", type: "uint256" },
    { name: "tranche", type: "uint256" },
    { name: "account", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** What a beneficiary signs so that anyone may submit their claim; the money still goes only to `account`. */
export interface RosterClaimMessage {
  index: bigint;
  tranche: bigint;
  account: `0x${string}`;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** What the officials sign to approve one version of one programme's root. */
export interface RootApprovalMessage {
  root: `0x${string}`;
  version: number;
  leafCount: number;
  rosterTotal: bigint;
  contentHash: `0x${string}`;
}

/** The full typed data of a root approval (viem's signTypedData / hashTypedData shape). */
export function rootApprovalTypedData(chainId: number | bigint, programme: string, message: RootApprovalMessage) {
  return { domain: rosterDomain(chainId, programme), types: ROOT_APPROVAL_TYPES, primaryType: "RootApproval" as const, message };
}

/** The full typed data of a signed roster claim. */
export function rosterClaimTypedData(chainId: number | bigint, programme: string, message: RosterClaimMessage) {
  return { domain: rosterDomain(chainId, programme), types: CLAIM_TYPES, primaryType: "RosterClaim" as const, message };
}
