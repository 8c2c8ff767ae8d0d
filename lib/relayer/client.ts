/**
 * The browser's side of the relayer API (docs/DAPP.md, "Claim without gas"): post a signed claim to
 * the same-origin proxy (/api/relayer/v1/claims), then follow its status until it is confirmed or
 * refused. Every error code the API can answer has a sentence in messages/<locale>.json
 * (relayer.errors.<code>); test/web/roster.ts fails if one is missing.
 */
import type { Address, Hex } from "viem";
import type { RelayerErrorCode } from "./errors.ts";

/** Every machine code a browser can get from the relayer API or its proxy (a sentence each in messages/). */
export const RELAYER_ERROR_CODES = [
  "MalformedRequest",
  "UnknownProgramme",
  "AlreadyClaimed",
  "LeafHeld",
  "LeafExcluded",
  "LeafChanged",
  "DuplicateRequest",
  "BadSignature",
  "SignatureExpired",
  "StaleNonce",
  "InvalidProof",
  "NotClaimable",
  "WouldRevert",
  "RateLimited",
  "RelayerUnavailable",
  "UnknownClaim",
  "UnknownEndpoint",
] as const satisfies readonly RelayerErrorCode[];

export const CLAIM_STATUSES = ["queued", "submitted", "confirmed", "skipped", "failed"] as const;
export type RelayedClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface RelayerRefusal {
  code: string;
  message: string;
  field?: string;
  params?: Record<string, unknown>;
  /** Seconds, from Retry-After (RateLimited). */
  retryAfter?: number;
}

export interface RelayedClaim {
  id: string;
  status: RelayedClaimStatus;
  txHash?: Hex;
  blockNumber?: number | string;
  batchSize?: number;
  error?: { code: string; message: string };
}

export interface SignedClaimBody {
  programme: Address;
  claim: { index: bigint; tranche: bigint; account: Address; amount: bigint; nonce: bigint; deadline: bigint; proof: readonly Hex[]; signature: Hex };
}

export const RELAYER_BASE = "/api/relayer/v1";

/** uint256 fields go as decimal strings (JSON has no big integers). */
export function claimRequestJson(b: SignedClaimBody): string {
  const c = b.claim;
  return JSON.stringify({
    programme: b.programme,
    claim: {
      index: c.index.toString(),
      tranche: c.tranche.toString(),
      account: c.account,
      amount: c.amount.toString(),
      nonce: c.nonce.toString(),
      deadline: c.deadline.toString(),
      proof: [...c.proof],
      signature: c.signature,
    },
  });
}

export class RelayerRequestError extends Error {
  readonly error: RelayerRefusal;
  readonly status: number;
  constructor(status: number, error: RelayerRefusal) {
    super(`${error.code}: ${error.message}`);
    this.status = status;
    this.error = error;
  }
}

async function readAnswer<T>(res: Response): Promise<T> {
  let json: any;
  try {
    json = await res.json();
  } catch {
    throw new RelayerRequestError(res.status, { code: "RelayerUnavailable", message: `HTTP ${res.status} without JSON` });
  }
  if (!res.ok) {
    const e = json?.error ?? {};
    const retry = Number(res.headers.get("retry-after"));
    throw new RelayerRequestError(res.status, {
      code: typeof e.code === "string" ? e.code : "RelayerUnavailable",
      message: typeof e.message === "string" ? e.message : `HTTP ${res.status}`,
      field: e.field,
      params: e.params,
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    });
  }
  return json as T;
}

const network = (err: unknown) => new RelayerRequestError(0, { code: "RelayerUnavailable", message: (err as Error)?.message ?? String(err) });

export async function submitClaim(body: SignedClaimBody, fetchImpl: typeof fetch = fetch): Promise<{ id: string; status: RelayedClaimStatus }> {
  let res: Response;
  try {
    res = await fetchImpl(`${RELAYER_BASE}/claims`, { method: "POST", headers: { "content-type": "application/json" }, body: claimRequestJson(body) });
  } catch (err) {
    throw network(err);
  }
  return readAnswer(res);
}

export async function claimStatus(id: string, fetchImpl: typeof fetch = fetch): Promise<RelayedClaim> {
  let res: Response;
  try {
    res = await fetchImpl(`${RELAYER_BASE}/claims/${encodeURIComponent(id)}`, { cache: "no-store" });
  } catch (err) {
    throw network(err);
  }
  return readAnswer(res);
}

export const isFinal = (s: RelayedClaimStatus) => s === "confirmed" || s === "skipped" || s === "failed";
