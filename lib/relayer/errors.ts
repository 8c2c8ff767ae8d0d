/**
 * The relayer's refusals: every one is an HTTP status, a machine code the dApp maps to a sentence, and
 * an English reason. Contract errors (from an eth_call simulation or a batch) map onto the same codes,
 * so a client sees one vocabulary whether the relayer or the contract said no.
 */
import { decodeWebError } from "../errors/decode.ts";
import { aidRosterProgrammeAbi } from "../generated/aidRosterProgramme.ts";

export type RelayerErrorCode =
  | "MalformedRequest"
  | "UnknownEndpoint"
  | "MethodNotAllowed"
  | "UnknownProgramme"
  | "UnknownClaim"
  | "AlreadyClaimed"
  | "LeafHeld"
  | "LeafExcluded"
  | "LeafChanged"
  | "DuplicateRequest"
  | "BadSignature"
  | "SignatureExpired"
  | "StaleNonce"
  | "InvalidProof"
  | "NotClaimable"
  | "WouldRevert"
  | "RateLimited"
  | "RelayerUnavailable";

const STATUS: Record<RelayerErrorCode, number> = {
  MalformedRequest: 400,
  UnknownEndpoint: 404,
  MethodNotAllowed: 405,
  UnknownProgramme: 404,
  UnknownClaim: 404,
  AlreadyClaimed: 409,
  LeafHeld: 409,
  LeafExcluded: 409,
  LeafChanged: 409,
  DuplicateRequest: 409,
  BadSignature: 422,
  SignatureExpired: 422,
  StaleNonce: 422,
  InvalidProof: 422,
  NotClaimable: 422,
  WouldRevert: 422,
  RateLimited: 429,
  RelayerUnavailable: 503,
};

/** JSON-safe parameters (bigints become decimal strings). */
export type ErrorParams = Record<string, unknown>;

export class RelayerError extends Error {
  readonly code: RelayerErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly params: ErrorParams | undefined;
  /** Seconds, for 429. */
  readonly retryAfter: number | undefined;

  constructor(code: RelayerErrorCode, message: string, extra: { field?: string; params?: ErrorParams; retryAfter?: number; status?: number } = {}) {
    super(message);
    this.name = "RelayerError";
    this.code = code;
    // A body too large (413) or not JSON (415) is still a MalformedRequest to clients: one code, the field says which.
    this.status = extra.status ?? STATUS[code];
    this.field = extra.field;
    this.params = extra.params === undefined ? undefined : jsonSafe(extra.params);
    this.retryAfter = extra.retryAfter;
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.params === undefined ? {} : { params: this.params }),
      },
    };
  }
}

export const malformed = (field: string, message: string) => new RelayerError("MalformedRequest", message, { field });

export function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/** Errors that mean "not now or never for this programme", whatever the leaf. */
const NOT_CLAIMABLE = new Set([
  "AidPauseActive",
  "AidRosterRootNotApproved",
  "AidRosterPublicityWindowOpen",
  "AidRosterClaimsClosed",
  "AidRosterTrancheLocked",
  "AidRosterUnknownTranche",
  "AidRosterNoRoster",
]);

const NOT_CLAIMABLE_REASON: Record<string, string> = {
  AidPauseActive: "The programme is paused.",
  AidRosterRootNotApproved: "The programme's roster is not approved yet.",
  AidRosterPublicityWindowOpen: "The roster's publicity window is still open; claims open when it ends.",
  AidRosterClaimsClosed: "Claims are closed (the claim deadline passed or the programme was cancelled).",
  AidRosterTrancheLocked: "This tranche has not unlocked yet.",
  AidRosterUnknownTranche: "The programme has no such tranche.",
  AidRosterNoRoster: "The programme has no roster yet.",
};

/** Argument names of a roster error (lib/errors/decode.ts only knows the escrow's and registry's). */
function namedArgs(name: string, args: Record<string, unknown>): Record<string, unknown> {
  const item = aidRosterProgrammeAbi.find((i) => i.type === "error" && i.name === name) as { inputs: readonly { name: string }[] } | undefined;
  if (!item) return args;
  const values = Object.values(args);
  const out: Record<string, unknown> = {};
  item.inputs.forEach((input, i) => (out[input.name || `arg${i}`] = values[i]));
  return out;
}

/** Leaf-specific contract errors and the refusal each becomes. */
const LEAF_REFUSALS: Record<string, [RelayerErrorCode, string]> = {
  AidRosterInvalidProof: ["InvalidProof", "The proof does not lead to the programme's current roster root."],
  AidRosterIndexOutOfRange: ["InvalidProof", "The proof does not lead to the programme's current roster root."],
  AidRosterWrongAmount: ["InvalidProof", "The amount is not the leaf's amount per tranche."],
  AidSignaturesInvalid: ["BadSignature", "The signature is not the account's."],
  AidSignaturesExpired: ["SignatureExpired", "The signed claim's deadline has passed."],
  AidClaimNonceMismatch: ["StaleNonce", "The signed claim carries an old nonce; sign it again."],
  AidRosterAlreadyClaimed: ["AlreadyClaimed", "This tranche of the leaf was already paid."],
  AidRosterLeafHeld: ["LeafHeld", "An objection holds this leaf until a reviewer rules."],
  AidRosterLeafExcluded: ["LeafExcluded", "An upheld objection excluded this leaf."],
  // Leaf changes after claims opened (a lost phone's re-bind, an exit, an upheld finding).
  AidRosterLeafRebound: ["LeafChanged", "This leaf's remaining tranches are paid to its new account now; claim from that account."],
  AidRosterLeafWithheld: ["LeafChanged", "This tranche is withheld (the household exited or was excluded); it goes back to donors."],
  AidRosterLeafChangePending: ["LeafChanged", "A change to this leaf is pending or under objection; its tranches wait until it is settled."],
};

/** Maps a named contract error to the API's refusal. */
export function refusalForContractError(name: string, rawArgs: Record<string, unknown>): RelayerError {
  const params = { error: name, args: namedArgs(name, rawArgs) };
  const leaf = LEAF_REFUSALS[name];
  if (leaf) return new RelayerError(leaf[0], leaf[1], { params });
  if (NOT_CLAIMABLE.has(name)) return new RelayerError("NotClaimable", NOT_CLAIMABLE_REASON[name], { params });
  return new RelayerError("WouldRevert", `The claim would revert with ${name}.`, { params });
}

/** Whether viem says the call reverted (as opposed to failing to reach the node). */
function isRevert(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === "object" && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: string }).name;
    if (name === "ContractFunctionRevertedError" || name === "ExecutionRevertedError") return true;
  }
  return false;
}

/**
 * Turns whatever a simulation or a send threw into a refusal: a decoded revert maps to its code, and
 * anything else (the node is down, the key has no gas money) is the relayer's own trouble: 503.
 */
export function refusalFor(err: unknown): RelayerError {
  if (err instanceof RelayerError) return err;
  const decoded = decodeWebError(err);
  if (decoded.kind === "revert") return refusalForContractError(decoded.name, decoded.args);
  if (isRevert(err)) {
    // A revert none of our ABIs knows (a token's or a wallet's own error, or a bare revert).
    return new RelayerError("WouldRevert", "The claim would revert with an error the relayer cannot name.", { params: { error: "unknown" } });
  }
  if (decoded.kind === "insufficientFunds") return new RelayerError("RelayerUnavailable", "The relayer has no money for gas right now.");
  return new RelayerError("RelayerUnavailable", "The relayer cannot reach the chain right now; try again later.");
}
