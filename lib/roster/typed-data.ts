/**
 * The EIP-712 shapes the roster programme verifies, in one place for every signer and verifier: the
 * officials' CLI and tests (root approvals, leaf changes), the dApp and the relayer (signed claims). A
 * drift between a signer's copy and the contract's type string would make every signature fail, so
 * nothing else may declare them. The contract's own type strings are ROOT_APPROVAL_TYPEHASH (with
 * ROSTER_TYPEHASH nested), CLAIM_TYPEHASH and LEAF_CHANGE_TYPEHASH; test/roster/Factory.ts checks these
 * shapes hash to the same values.
 */

/** The domain name and version of AidRosterProgramme's EIP712 constructor. */
export const ROSTER_DOMAIN_NAME = "PrecisionAid AidRosterProgramme";
export const ROSTER_DOMAIN_VERSION = "1";

/** The EIP-712 domain of one programme: the verifying contract binds every signature to it. */
export function rosterDomain(chainId: number | bigint, programme: string) {
  return { name: ROSTER_DOMAIN_NAME, version: ROSTER_DOMAIN_VERSION, chainId: BigInt(chainId), verifyingContract: programme as `0x${string}` };
}

/**
 * What k officials sign to approve one version of a programme's root: the roster they checked (nested, so
 * the signature says what it approved) and a deadline after which the approval can no longer be submitted
 * (docs/DECISIONS.md E14: whoever holds the signatures cannot pick the window's start months later).
 */
export const ROOT_APPROVAL_TYPES = {
  RootApproval: [
    { name: "roster", type: "Roster" },
    { name: "deadline", type: "uint256" },
  ],
  Roster: [
    { name: "root", type: "bytes32" },
    { name: "version", type: "uint32" },
    { name: "leafCount", type: "uint32" },
    { name: "rosterTotal", type: "uint256" },
    { name: "contentHash", type: "bytes32" },
  ],
} as const;

/**
 * What k officials sign to change one leaf after claims opened (docs/DECISIONS.md E16): re-bind its unpaid
 * tranches to a new account, or withhold them (exit, exclusion). The nonce is the leaf's change count.
 */
export const LEAF_CHANGE_TYPES = {
  LeafChange: [
    { name: "version", type: "uint32" },
    { name: "index", type: "uint256" },
    { name: "kind", type: "uint8" },
    { name: "newAccount", type: "address" },
    { name: "reasonHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** Mirrors LeafChangeKind in AidRosterTypes.sol. */
export const LEAF_CHANGE_KINDS = ["Rebind", "Exit", "Exclude"] as const;
export type LeafChangeKindName = (typeof LEAF_CHANGE_KINDS)[number];

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

/** One version of one programme's roster, as the officials check it against its file. */
export interface RosterMessage {
  root: `0x${string}`;
  version: number;
  leafCount: number;
  rosterTotal: bigint;
  contentHash: `0x${string}`;
}

/** What the officials sign to approve one version of one programme's root, until `deadline` (unix seconds). */
export interface RootApprovalMessage {
  roster: RosterMessage;
  deadline: bigint;
}

/** What k officials sign to change leaf `index` of roster `version`. */
export interface LeafChangeMessage {
  version: number;
  index: bigint;
  kind: number;
  newAccount: `0x${string}`;
  reasonHash: `0x${string}`;
  nonce: bigint;
  deadline: bigint;
}

/** The full typed data of a root approval (viem's signTypedData / hashTypedData shape). */
export function rootApprovalTypedData(chainId: number | bigint, programme: string, message: RootApprovalMessage) {
  return { domain: rosterDomain(chainId, programme), types: ROOT_APPROVAL_TYPES, primaryType: "RootApproval" as const, message };
}

/** The full typed data of a leaf change. */
export function leafChangeTypedData(chainId: number | bigint, programme: string, message: LeafChangeMessage) {
  return { domain: rosterDomain(chainId, programme), types: LEAF_CHANGE_TYPES, primaryType: "LeafChange" as const, message };
}

/** The full typed data of a signed roster claim. */
export function rosterClaimTypedData(chainId: number | bigint, programme: string, message: RosterClaimMessage) {
  return { domain: rosterDomain(chainId, programme), types: CLAIM_TYPES, primaryType: "RosterClaim" as const, message };
}
