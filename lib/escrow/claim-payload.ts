/**
 * A signed claim travels from a household's phone to whoever submits it (an official, a relayer) as a
 * short, URL-safe payload: shown as a QR code or shared as a link to /relay. It carries the EIP-712
 * ClaimRequest (its shape: ./typed-data.ts) and the signature only; the submitter cannot change where the money goes, because the
 * recipient and amount are inside the signed struct.
 */
import { isAddress, isHex, type Address, type Hex } from "viem";
import type { ClaimRequestMessage } from "./typed-data.ts";

export interface SignedEscrowClaim {
  chainId: number;
  escrow: Address;
  request: ClaimRequestMessage;
  signature: Hex;
}

const b64url = {
  encode(s: string): string {
    const bytes = new TextEncoder().encode(s);
    let bin = "";
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
  decode(s: string): string {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  },
};

export function encodeSignedClaim(c: SignedEscrowClaim): string {
  const r = c.request;
  return b64url.encode(
    JSON.stringify([1, c.chainId, c.escrow, String(r.projectId), r.commitment, r.trancheIndex, r.recipient, String(r.amount), String(r.nonce), String(r.deadline), c.signature]),
  );
}

/** Decodes and validates a payload; throws a RangeError naming what is wrong. */
export function decodeSignedClaim(payload: string): SignedEscrowClaim {
  let v: unknown;
  try {
    v = JSON.parse(b64url.decode(payload.trim()));
  } catch {
    throw new RangeError("payload");
  }
  if (!Array.isArray(v) || v.length !== 11 || v[0] !== 1) throw new RangeError("version");
  const [, chainId, escrow, projectId, commitment, trancheIndex, recipient, amount, nonce, deadline, signature] = v;
  const uint = (x: unknown) => typeof x === "string" && /^\d+$/.test(x);
  if (!Number.isInteger(chainId) || chainId <= 0) throw new RangeError("chainId");
  if (typeof escrow !== "string" || !isAddress(escrow)) throw new RangeError("escrow");
  if (!uint(projectId) || !uint(amount) || !uint(nonce) || !uint(deadline)) throw new RangeError("numbers");
  if (typeof commitment !== "string" || !isHex(commitment) || commitment.length !== 66) throw new RangeError("commitment");
  if (!Number.isInteger(trancheIndex) || trancheIndex < 0 || trancheIndex > 255) throw new RangeError("trancheIndex");
  if (typeof recipient !== "string" || !isAddress(recipient)) throw new RangeError("recipient");
  if (typeof signature !== "string" || !isHex(signature) || signature.length < 132) throw new RangeError("signature");
  return {
    chainId,
    escrow: escrow as Address,
    signature: signature as Hex,
    request: {
      projectId: BigInt(projectId),
      commitment: commitment as Hex,
      trancheIndex,
      recipient: recipient as Address,
      amount: BigInt(amount),
      nonce: BigInt(nonce),
      deadline: BigInt(deadline),
    },
  };
}
