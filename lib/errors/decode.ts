/**
 * The one decoder of contract errors, shared by the dApp and the CLIs (browser-safe: viem only). Turns
 * whatever a wallet, viem, ethers, Hardhat or the node threw into a rejected signature, a named contract
 * error with its arguments, or a short generic reason; errorParams then formats the arguments (times,
 * statuses, roles, hashes, amounts) for the sentence catalogue messages/<locale>.json "errors.<Name>".
 * The dApp renders the sentence with next-intl, the CLIs in English through lib/errors/sentences.ts.
 * Reverts are decoded against every ABI we know, because a call into the escrow can revert in the registry
 * or the token. test/errors.ts fails if a custom error has no sentence in either catalogue.
 */
import { decodeErrorResult, keccak256, toBytes, type Abi, type Hex } from "viem";
type AbiError = Extract<Abi[number], { type: "error" }>;
import { contractErrorsAbi } from "../generated/errors.ts";

/** Every custom error across the known ABIs, once each (by signature; generated with the ABIs). */
export const ERRORS_ABI: Abi = contractErrorsAbi as unknown as Abi;

/** Names of every custom error (for the catalogue-completeness test), plus the built-in Error and Panic. */
export function knownErrorNames(): string[] {
  const names = new Set<string>(["Error", "Panic"]);
  for (const item of ERRORS_ABI) if (item.type === "error") names.add(item.name);
  return [...names].sort();
}

/** Argument names of an error, so the test can check the sentences use only what exists. */
export function errorInputNames(name: string): string[] {
  const item = ERRORS_ABI.find((i) => i.type === "error" && i.name === name) as AbiError | undefined;
  if (name === "Error") return ["message"];
  if (name === "Panic") return ["code"];
  return item ? item.inputs.map((i: { name?: string }, n: number) => i.name || `arg${n}`) : [];
}

export type WebError =
  | { kind: "rejected" }
  | { kind: "revert"; name: string; args: Record<string, unknown> }
  | { kind: "insufficientFunds" }
  | { kind: "network" }
  | { kind: "wrongNetwork" }
  | { kind: "unknown"; message: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/** Walks the nested causes viem, wallets and nodes wrap errors in. */
function* chain(err: unknown, depth = 0): Generator<Record<string, unknown>> {
  if (!isObject(err) || depth > 8) return;
  yield err;
  for (const key of ["cause", "error", "data", "info"]) {
    const v = err[key];
    if (isObject(v)) yield* chain(v, depth + 1);
  }
}

/** Finds raw revert data in the many shapes viem, ethers, Hardhat and wallets wrap it in. */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (depth > 8 || err === null || err === undefined) return undefined;
  if (typeof err === "string") return /^0x[0-9a-fA-F]{8}/.test(err) ? err : undefined;
  if (!isObject(err)) return undefined;
  for (const key of ["raw", "data", "revert", "error", "info", "cause", "value"]) {
    if (!(key in err)) continue;
    const v = err[key];
    if (key === "revert" && isObject(v)) continue; // ethers' decoded form; raw data is in .data
    const found = findRevertData(v, depth + 1);
    if (found && decodeRevertData(found)) return found;
  }
  return undefined;
}

export interface DecodedRevert {
  name: string;
  /** Arguments keyed by their ABI names (Error: message, Panic: code). */
  args: Record<string, unknown>;
}

/** Decodes raw revert data against every known ABI (and Error(string), Panic(uint256)). */
export function decodeRevertData(data: string): DecodedRevert | undefined {
  return tryDecode(data);
}

function tryDecode(data: unknown): DecodedRevert | undefined {
  if (typeof data !== "string" || !/^0x[0-9a-fA-F]{8}/.test(data)) return undefined;
  try {
    const r = decodeErrorResult({ abi: ERRORS_ABI, data: data as Hex });
    const names = errorInputNames(r.errorName);
    const values = (r.args ?? []) as readonly unknown[];
    const args: Record<string, unknown> = {};
    values.forEach((v, i) => (args[names[i] ?? `arg${i}`] = v));
    return { name: r.errorName, args };
  } catch {
    return undefined;
  }
}

export function decodeWebError(err: unknown): WebError {
  for (const e of chain(err)) {
    const code = e.code;
    const name = String(e.name ?? "");
    if (code === 4001 || name === "UserRejectedRequestError" || /user (rejected|denied)/i.test(String(e.message ?? "")))
      return { kind: "rejected" };
  }
  const raw = findRevertData(err);
  const decoded = raw === undefined ? undefined : tryDecode(raw);
  if (decoded) return { kind: "revert", ...decoded };
  for (const e of chain(err)) {
    // viem's ContractFunctionRevertedError carries the decoded error when the ABI had it.
    const data = e.data;
    // viem leaves args undefined for an error without arguments (e.g. a pause).
    if (isObject(data) && typeof data.errorName === "string" && (Array.isArray(data.args) || data.args === undefined)) {
      const names = errorInputNames(data.errorName);
      const args: Record<string, unknown> = {};
      ((data.args ?? []) as unknown[]).forEach((v, i) => (args[names[i] ?? `arg${i}`] = v));
      return { kind: "revert", name: data.errorName, args };
    }
  }
  for (const e of chain(err)) {
    const name = String(e.name ?? "");
    const msg = String(e.message ?? e.shortMessage ?? "");
    if (name === "InsufficientFundsError" || e.code === "INSUFFICIENT_FUNDS" || /insufficient funds/i.test(msg)) return { kind: "insufficientFunds" };
    if (name === "ChainMismatchError" || name === "ChainNotConfiguredError") return { kind: "wrongNetwork" };
    if (name === "HttpRequestError" || e.code === "ECONNREFUSED" || /Failed to fetch|ECONNREFUSED|NetworkError|failed to detect network/i.test(msg))
      return { kind: "network" };
  }
  const top = isObject(err) ? err : {};
  return { kind: "unknown", message: String(top.shortMessage ?? top.message ?? err) };
}

/** Which arguments are times, statuses or amounts: the UI formats them before the sentence is built. */
const TIME_ARGS = /^(deadline|expiry|nowTime|readyAt|schedule|unlockTime|windowEndsAt|claimDeadline|fundingDeadline|claimsOpenAt|closedAt|expiresAt|effectiveAt|pausedAt|lapsesAt|lastEndedAt|availableAt|latest)$/;
const PROJECT_STATUS_ERRORS = new Set(["AidEscrowWrongProjectStatus", "AidEscrowProjectNotLive", "AidRosterNotFunding", "AidRosterNotLive", "AidRosterRefundsNotOpen"]);
const OBJECTION_STATUS_ERRORS = new Set(["AidRosterAlreadyObjected", "AidRosterNoPendingObjection"]);
const ENROLMENT_STATUS_ERRORS = new Set(["AidEscrowCannotEnrol", "AidEscrowWrongEnrolmentStatus"]);

export interface ParamFormatters {
  time: (seconds: bigint) => string;
  short: (hex: string) => string;
  projectStatus: (v: number) => string;
  enrolmentStatus: (v: number) => string;
  role: (roleId: string) => string;
  /** A roster objection's status (None, Pending, Upheld); the name itself when not given. */
  objectionStatus?: (v: number) => string;
  /** Raw token amounts (only where the error carries one the reader must compare, e.g. a balance). */
  amount?: (raw: bigint) => string;
  /**
   * Addresses (0x + 40 hex). The dApp shortens them (0x3C44…93BC) so a sentence fits a phone; the CLIs
   * leave them whole (no formatter), where they are copied into other tools.
   */
  address?: (address: string) => string;
}

/** Errors whose amounts are token units worth showing with decimals. */
const AMOUNT_ARGS: Record<string, readonly string[]> = { ERC20InsufficientBalance: ["balance", "needed"] };

/** Every argument as a display string, keyed by its ABI name (what the catalogue sentences use). */
export function errorParams(name: string, args: Record<string, unknown>, f: ParamFormatters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(args)) {
    if (name === "Panic" && k === "code") out[k] = `0x${BigInt(v as bigint).toString(16)}`;
    else if (f.amount && typeof v === "bigint" && AMOUNT_ARGS[name]?.includes(k)) out[k] = f.amount(v);
    // viem decodes uint40/uint48 times as numbers, wider ones as bigints.
    else if (TIME_ARGS.test(k) && (typeof v === "bigint" || typeof v === "number")) out[k] = f.time(BigInt(v));
    else if ((k === "expected" || k === "actual" || k === "status") && PROJECT_STATUS_ERRORS.has(name)) out[k] = f.projectStatus(Number(v));
    else if ((k === "expected" || k === "actual" || k === "status") && ENROLMENT_STATUS_ERRORS.has(name))
      out[k] = f.enrolmentStatus(Number(v));
    else if (k === "status" && OBJECTION_STATUS_ERRORS.has(name))
      out[k] = f.objectionStatus ? f.objectionStatus(Number(v)) : (["None", "Pending", "Upheld"][Number(v)] ?? String(v));
    else if (k === "role" || k === "neededRole") out[k] = f.role(String(v));
    else if (typeof v === "string" && /^0x[0-9a-fA-F]{64}$/.test(v)) out[k] = f.short(v);
    else if (f.address && typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v)) out[k] = f.address(v);
    else out[k] = typeof v === "bigint" ? v.toString() : String(v);
  }
  return out;
}

/** Role ids are keccak256 of their names (must match contracts/AidRegistry.sol); the catalogue names them. */
const ROLE_KEYS: Record<string, string> = {
  ["0x" + "00".repeat(32)]: "admin",
  "0x": "admin",
};
for (const [label, key] of [
  ["precisionaid.role.manager", "manager"],
  ["precisionaid.role.reviewer", "reviewer"],
  ["precisionaid.role.guardian", "guardian"],
  ["official", "official"],
] as const)
  ROLE_KEYS[keccak256(toBytes(label))] = key;

/** "manager" | "reviewer" | "guardian" | "official" | "admin" | undefined */
export const roleKey = (roleId: string): string | undefined => ROLE_KEYS[roleId.toLowerCase()];
