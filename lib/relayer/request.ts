/**
 * Parses a POST /v1/claims body into a typed signed claim, refusing the first bad field by name. Strict:
 * unknown fields are refused too, so a client's typo ("proofs") is an error and not a silent default.
 */
import { getAddress, isAddress, type Address, type Hex } from "viem";
import { malformed } from "./errors.ts";

/** The contract's SignedRosterClaim, typed for viem. */
export interface SignedRosterClaim {
  index: bigint;
  tranche: bigint;
  account: Address;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
  proof: Hex[];
  signature: Hex;
}

export interface ClaimRequest {
  programme: Address;
  claim: SignedRosterClaim;
}

const UINT256_MAX = 2n ** 256n - 1n;
/** A depth-64 proof would cover 2^64 households; anything longer is an attack on our CPU, not a roster. */
const MAX_PROOF_LENGTH = 64;
/** 65 bytes for an EOA; an ERC-1271 wallet (a Safe with a few owners) needs more, but not kilobytes. */
const MAX_SIGNATURE_BYTES = 4096;
const CLAIM_FIELDS = ["index", "tranche", "account", "amount", "nonce", "deadline", "proof", "signature"] as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function uint(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(value)) {
    throw malformed(field, `${field} must be a non-negative integer written as a decimal string, e.g. "5".`);
  }
  const n = BigInt(value);
  if (n > UINT256_MAX) throw malformed(field, `${field} does not fit in a uint256.`);
  return n;
}

function address(value: unknown, field: string): Address {
  // Mixed case must be a valid EIP-55 checksum (a typo in one letter is caught); all-lower is accepted.
  if (typeof value !== "string" || !isAddress(value, { strict: value !== value.toLowerCase() })) {
    throw malformed(field, `${field} must be a 0x-prefixed 20-byte address (mixed case must be a valid checksum).`);
  }
  return getAddress(value);
}

function bytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) throw malformed(field, `${field} must be 32 bytes of 0x-prefixed hex.`);
  return value.toLowerCase() as Hex;
}

function signature(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !/^0x([0-9a-fA-F]{2})+$/.test(value)) throw malformed(field, `${field} must be 0x-prefixed hex bytes.`);
  if ((value.length - 2) / 2 > MAX_SIGNATURE_BYTES) throw malformed(field, `${field} is longer than ${MAX_SIGNATURE_BYTES} bytes.`);
  return value.toLowerCase() as Hex;
}

/** Validates the shape only; whether the claim is good is the chain's question (see relayer.ts). */
export function parseClaimRequest(body: unknown): ClaimRequest {
  if (!isPlainObject(body)) throw malformed("body", "The body must be a JSON object { programme, claim }.");
  for (const key of Object.keys(body)) if (key !== "programme" && key !== "claim") throw malformed(key, `Unknown field "${key}".`);
  const programme = address(body.programme, "programme");
  const c = body.claim;
  if (!isPlainObject(c)) throw malformed("claim", "claim must be an object with index, tranche, account, amount, nonce, deadline, proof, signature.");
  for (const key of Object.keys(c)) {
    if (!(CLAIM_FIELDS as readonly string[]).includes(key)) throw malformed(`claim.${key}`, `Unknown field "claim.${key}".`);
  }
  const index = uint(c.index, "claim.index");
  const tranche = uint(c.tranche, "claim.tranche");
  const account = address(c.account, "claim.account");
  const amount = uint(c.amount, "claim.amount");
  const nonce = uint(c.nonce, "claim.nonce");
  const deadline = uint(c.deadline, "claim.deadline");
  if (!Array.isArray(c.proof)) throw malformed("claim.proof", "claim.proof must be an array of 32-byte hex strings.");
  if (c.proof.length > MAX_PROOF_LENGTH) throw malformed("claim.proof", `claim.proof is longer than ${MAX_PROOF_LENGTH} hashes.`);
  const proof = c.proof.map((p, i) => bytes32(p, `claim.proof[${i}]`));
  const sig = signature(c.signature, "claim.signature");
  return { programme, claim: { index, tranche, account, amount, nonce, deadline, proof, signature: sig } };
}

/** The JSON form of a signed claim (what a client POSTs): uint256 as decimal strings. */
export function claimToJson(claim: SignedRosterClaim) {
  return {
    index: claim.index.toString(),
    tranche: claim.tranche.toString(),
    account: claim.account,
    amount: claim.amount.toString(),
    nonce: claim.nonce.toString(),
    deadline: claim.deadline.toString(),
    proof: claim.proof,
    signature: claim.signature,
  };
}
