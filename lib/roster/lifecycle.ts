/**
 * The chain-facing steps of a roster programme, shared by the `roster` CLI, the devnet seed and the
 * benchmarks: read a built roster (summary.json + roster.proofs) back and check it, publish it, sign a
 * root approval as an official, and assemble k officials' approval files into one `approveRoot` call.
 *
 * Node-only (reads files); the dApp never imports it. Every refusal names the file and the field, and
 * nothing is sent until every input has been checked.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, hashTypedData, isAddress, isHex, recoverTypedDataAddress, type Hex } from "viem";
import { rootApprovalTypedData, type RootApprovalMessage, type RosterMessage } from "./typed-data.ts";

/** A refusal of an input file: which file, which field, and why. */
export class RosterInputError extends Error {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, reason: string) {
    super(`${file}: ${field}: ${reason}`);
    this.file = file;
    this.field = field;
  }
}

/** What `roster build` wrote, checked against the proofs file's actual bytes. */
export interface RosterBuild {
  dir: string;
  root: `0x${string}`;
  leafCount: number;
  /** Sum of the amounts per tranche; the programme's roster total is this times its tranche count. */
  totalPerTranche: bigint;
  depth: number;
  /** sha256 of roster.proofs: the on-chain contentHash (the file the published URI points at). */
  contentHash: `0x${string}`;
  proofsPath: string;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** sha256 of a file, streamed (a county roster's proofs file is hundreds of megabytes). */
export async function sha256File(path: string): Promise<`0x${string}`> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `0x${hash.digest("hex")}`;
}

/**
 * Reads `dir/summary.json` as written by `roster build` and checks that `dir/roster.proofs` is the file
 * it describes: the hash the officials sign must be the hash of what beneficiaries will download.
 */
export async function readRosterBuild(dir: string): Promise<RosterBuild> {
  const file = join(dir, "summary.json");
  if (!existsSync(file)) throw new RosterInputError(file, "(file)", "not found; run `npm run roster -- build --in <csv> --out <dir>` first");
  let s: Record<string, unknown>;
  try {
    s = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new RosterInputError(file, "(file)", `not JSON (${(error as Error).message})`);
  }
  if (s.format !== "precisionaid-roster-v1") throw new RosterInputError(file, "format", `expected "precisionaid-roster-v1", found ${JSON.stringify(s.format)}`);
  if (typeof s.root !== "string" || !BYTES32.test(s.root)) throw new RosterInputError(file, "root", "must be a 32-byte hex string");
  if (!Number.isSafeInteger(s.rows) || (s.rows as number) < 1 || (s.rows as number) >= 2 ** 32) {
    throw new RosterInputError(file, "rows", "must be a whole number from 1 to 4,294,967,295");
  }
  if (typeof s.totalAmount !== "string" || !/^\d+$/.test(s.totalAmount)) throw new RosterInputError(file, "totalAmount", "must be a decimal integer string");
  if (!Number.isSafeInteger(s.depth)) throw new RosterInputError(file, "depth", "must be a whole number");
  const proofs = (s.files as { proofs?: { file?: unknown; sha256?: unknown } } | undefined)?.proofs;
  if (!proofs || typeof proofs.file !== "string") throw new RosterInputError(file, "files.proofs.file", "missing");
  if (typeof proofs.sha256 !== "string" || !BYTES32.test(proofs.sha256)) throw new RosterInputError(file, "files.proofs.sha256", "must be a 32-byte hex string");
  const proofsPath = join(dir, proofs.file);
  if (!existsSync(proofsPath)) throw new RosterInputError(proofsPath, "(file)", "not found next to summary.json");
  const actual = await sha256File(proofsPath);
  if (actual !== proofs.sha256.toLowerCase()) {
    throw new RosterInputError(proofsPath, "(contents)", `sha256 is ${actual} but summary.json says ${proofs.sha256}: the file changed after it was built`);
  }
  return {
    dir,
    root: s.root.toLowerCase() as `0x${string}`,
    leafCount: s.rows as number,
    totalPerTranche: BigInt(s.totalAmount),
    depth: s.depth as number,
    contentHash: actual,
    proofsPath,
  };
}

/** The on-chain roster as `roster()` returns it (a viem struct, an ethers Result, or a plain object). */
export interface OnChainRoster {
  root: string;
  version: bigint | number;
  leafCount: bigint | number;
  rosterTotal: bigint;
  contentHash: string;
}

/** The roster the officials check, as the approval nests it. */
export function rosterMessage(r: OnChainRoster): RosterMessage {
  return {
    root: r.root as `0x${string}`,
    version: Number(r.version),
    leafCount: Number(r.leafCount),
    rosterTotal: BigInt(r.rosterTotal),
    contentHash: r.contentHash as `0x${string}`,
  };
}

/** The message the officials sign for the programme's current roster, valid while the chain's time is before `deadline`. */
export function approvalMessage(r: OnChainRoster, deadline: bigint): RootApprovalMessage {
  return { roster: rosterMessage(r), deadline };
}

/** How long a root approval stays valid when the official does not say: a week to collect the others' signatures. */
export const DEFAULT_APPROVAL_LIFETIME = 7n * 86_400n;

/**
 * Whoever signs an approval: its address and an EIP-712 signer of viem's typed-data shape (a viem
 * local account or wallet client has both; a test may wrap any other signer).
 */
export interface TypedDataSigner {
  address: string;
  signTypedData(typedData: ReturnType<typeof rootApprovalTypedData>): Promise<string>;
}

/**
 * One official's approval, as a file an official can hand to whoever submits (no key leaves them). Version 2
 * carries the approval's deadline (unix seconds; docs/DECISIONS.md E14): the k files submitted together must
 * name the same one, and the programme refuses them from that time on.
 */
export interface ApprovalRecord {
  format: "precisionaid-root-approval-v2";
  chainId: string;
  programme: string;
  official: string;
  root: string;
  version: string;
  leafCount: string;
  rosterTotal: string;
  contentHash: string;
  deadline: string;
  signature: string;
}

export async function signRootApproval(
  signer: TypedDataSigner,
  chainId: bigint | number,
  programme: string,
  roster: OnChainRoster,
  deadline: bigint,
): Promise<ApprovalRecord> {
  const message = approvalMessage(roster, deadline);
  const signature = await signer.signTypedData(rootApprovalTypedData(chainId, programme, message));
  return {
    format: "precisionaid-root-approval-v2",
    chainId: String(chainId),
    programme: getAddress(programme),
    official: getAddress(signer.address),
    root: message.roster.root,
    version: String(message.roster.version),
    leafCount: String(message.roster.leafCount),
    rosterTotal: String(message.roster.rosterTotal),
    contentHash: message.roster.contentHash,
    deadline: String(deadline),
    signature,
  };
}

/** The EIP-712 digest an approval signs (what an ERC-1271 wallet such as a Safe must approve). */
export function rootApprovalDigest(chainId: bigint | number, programme: string, roster: OnChainRoster, deadline: bigint): string {
  return hashTypedData(rootApprovalTypedData(chainId, programme, approvalMessage(roster, deadline)));
}

/** Parses one approval file, field by field. */
export function parseApprovalRecord(text: string, file: string): ApprovalRecord {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch (error) {
    throw new RosterInputError(file, "(file)", `not JSON (${(error as Error).message})`);
  }
  if (v.format === "precisionaid-root-approval-v1") {
    throw new RosterInputError(file, "format", "is a version 1 approval, signed before root approvals carried a deadline; sign again with `roster sign-approval`");
  }
  if (v.format !== "precisionaid-root-approval-v2") throw new RosterInputError(file, "format", `expected "precisionaid-root-approval-v2", found ${JSON.stringify(v.format)}`);
  for (const field of ["programme", "official"] as const) {
    if (typeof v[field] !== "string" || !isAddress(v[field])) throw new RosterInputError(file, field, "must be an address");
  }
  for (const field of ["root", "contentHash"] as const) {
    if (typeof v[field] !== "string" || !BYTES32.test(v[field] as string)) throw new RosterInputError(file, field, "must be a 32-byte hex string");
  }
  for (const field of ["chainId", "version", "leafCount", "rosterTotal", "deadline"] as const) {
    if (typeof v[field] !== "string" || !/^\d+$/.test(v[field] as string)) throw new RosterInputError(file, field, "must be a decimal integer string");
  }
  if (typeof v.signature !== "string" || !isHex(v.signature, { strict: true }) || v.signature.length < 4) throw new RosterInputError(file, "signature", "must be a hex string");
  return v as unknown as ApprovalRecord;
}

/**
 * Checks k approval files against the programme's current roster and orders them as `approveRoot`
 * wants (strictly ascending officials). They must all name one deadline, still in the future at `now`
 * (the chain's time). An EOA's signature is checked here, offline; a contract wallet's (ERC-1271) can
 * only be checked by the contract, so `hasCode` lets the caller say which is which.
 */
export async function assembleApprovals(
  files: { file: string; record: ApprovalRecord }[],
  expected: { chainId: bigint | number; programme: string; roster: OnChainRoster; threshold: number; now: bigint },
  hasCode: (official: string) => Promise<boolean>,
): Promise<{ officials: string[]; signatures: string[]; deadline: bigint }> {
  if (files.length !== expected.threshold) {
    throw new RosterInputError(files.map((f) => f.file).join(", ") || "(no files)", "(count)", `the programme needs exactly ${expected.threshold} approvals, ${files.length} given`);
  }
  const deadline = BigInt(files[0].record.deadline);
  const message = approvalMessage(expected.roster, deadline);
  const typedData = rootApprovalTypedData(expected.chainId, expected.programme, message);
  const seen = new Map<string, string>();
  for (const { file, record } of files) {
    if (BigInt(record.deadline) !== deadline) {
      throw new RosterInputError(file, "deadline", `is ${record.deadline} but ${files[0].file} says ${deadline}: the officials must sign the same deadline to be submitted together`);
    }
    if (deadline <= expected.now) {
      throw new RosterInputError(file, "deadline", `passed at ${new Date(Number(deadline) * 1000).toISOString()} (the chain's time is ${new Date(Number(expected.now) * 1000).toISOString()}); the officials must sign again`);
    }
    const want: [keyof ApprovalRecord, string][] = [
      ["chainId", String(expected.chainId)],
      ["programme", getAddress(expected.programme)],
      ["root", message.roster.root.toLowerCase()],
      ["version", String(message.roster.version)],
      ["leafCount", String(message.roster.leafCount)],
      ["rosterTotal", String(message.roster.rosterTotal)],
      ["contentHash", message.roster.contentHash.toLowerCase()],
    ];
    for (const [field, value] of want) {
      const got = field === "programme" ? getAddress(record[field]) : record[field].toLowerCase();
      if (got !== value) throw new RosterInputError(file, field, `is ${record[field]} but the programme's current roster has ${value}: it was signed for another roster or programme`);
    }
    const official = getAddress(record.official);
    if (seen.has(official)) throw new RosterInputError(file, "official", `${official} already signed in ${seen.get(official)}: approvals must come from distinct officials`);
    seen.set(official, file);
    if (!(await hasCode(official))) {
      let recovered: string;
      try {
        recovered = await recoverTypedDataAddress({ ...typedData, signature: record.signature as Hex });
      } catch (error) {
        throw new RosterInputError(file, "signature", `is not a valid signature (${(error as Error).message.split(" (")[0]})`);
      }
      if (getAddress(recovered) !== official) throw new RosterInputError(file, "signature", `was made by ${recovered}, not by the official ${official}`);
    }
  }
  const ordered = [...files].sort((a, b) => (BigInt(a.record.official) < BigInt(b.record.official) ? -1 : 1));
  return { officials: ordered.map((f) => getAddress(f.record.official)), signatures: ordered.map((f) => f.record.signature), deadline };
}
