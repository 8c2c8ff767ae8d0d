/**
 * The EIP-712 shapes the registry verifies: k officials' approval of a binding (AidRegistry.bindIdentity,
 * docs/DECISIONS.md R4) and a bound account's signed cancellation of a pending re-bind
 * (AidRegistry.cancelRebindBySig, R6). One place for every signer and verifier (the CLIs, the devnet seed,
 * the dApp, the tests); nothing else may declare them. The domain is the registry's own, read from the
 * contract (ERC-5267) where a client can; `registryDomain` gives the same values for tools that know the
 * chain and the address.
 */
import type { Address, Hex } from "viem";

/** The domain name and version of AidRegistry's EIP712 constructor. */
export const REGISTRY_DOMAIN_NAME = "PrecisionAid AidRegistry";
export const REGISTRY_DOMAIN_VERSION = "1";

export function registryDomain(chainId: number | bigint, registry: string) {
  return { name: REGISTRY_DOMAIN_NAME, version: REGISTRY_DOMAIN_VERSION, chainId: BigInt(chainId), verifyingContract: registry as Address };
}

export const BIND_IDENTITY_TYPES = {
  BindIdentity: [
    { name: "commitment", type: "bytes32" },
    { name: "account", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const CANCEL_REBIND_TYPES = {
  CancelRebind: [
    { name: "commitment", type: "bytes32" },
    { name: "nonce", type: "uint32" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** What each of k officials signs to bind a household's commitment to its account, until `deadline`. */
export interface BindIdentityMessage {
  commitment: Hex;
  account: Address;
  deadline: bigint;
}

/** What a bound account signs to cancel the pending re-bind `nonce` of its own commitment. */
export interface CancelRebindMessage {
  commitment: Hex;
  nonce: number;
  deadline: bigint;
}

export function bindIdentityTypedData(chainId: number | bigint, registry: string, message: BindIdentityMessage) {
  return { domain: registryDomain(chainId, registry), types: BIND_IDENTITY_TYPES, primaryType: "BindIdentity" as const, message };
}

export function cancelRebindTypedData(chainId: number | bigint, registry: string, message: CancelRebindMessage) {
  return { domain: registryDomain(chainId, registry), types: CANCEL_REBIND_TYPES, primaryType: "CancelRebind" as const, message };
}
