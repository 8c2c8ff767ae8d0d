/**
 * EIP-2612 permits: the one home of the Permit shape that donors sign so the escrow can pull their
 * tokens in the donation's own transaction (donateWithPermit). The dApp, the project CLI, the devnet
 * seed, the benchmarks and the tests all sign this shape; nothing else may declare it.
 */
import { erc20Abi, parseSignature, type Address, type Hex } from "viem";

export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface PermitMessage {
  owner: Address;
  spender: Address;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** The EIP-712 domain of an ERC20Permit token (OpenZeppelin's: its name, version "1"). */
export function permitDomain(o: { name: string; chainId: number | bigint; token: Address; version?: string }) {
  return { name: o.name, version: o.version ?? "1", chainId: BigInt(o.chainId), verifyingContract: o.token };
}

/** The full typed data a wallet signs (viem's signTypedData shape). */
export function permitTypedData(o: { name: string; chainId: number | bigint; token: Address; message: PermitMessage; version?: string }) {
  return { domain: permitDomain(o), types: PERMIT_TYPES, primaryType: "Permit" as const, message: o.message };
}

/** A 65-byte signature as the v, r, s that donateWithPermit takes. */
export function permitVrs(signature: Hex): { v: number; r: Hex; s: Hex } {
  const { r, s, v, yParity } = parseSignature(signature);
  return { v: Number(v ?? BigInt((yParity ?? 0) + 27)), r, s };
}

/** ERC-20 with the permit views (viem's erc20Abi has no nonces()). */
export const erc20PermitAbi = [
  ...erc20Abi,
  { type: "function", name: "nonces", stateMutability: "view", inputs: [{ name: "owner", type: "address" }], outputs: [{ name: "", type: "uint256" }] },
] as const;
