/**
 * Turns any revert of the PrecisionAid contracts (their own custom errors, OpenZeppelin's, the test
 * stablecoin's, Error(string) and Panic(uint256)) into one English sentence. Shared by the CLIs and the
 * dApp. test/cli/errors.ts fails if an error in any ABI has no sentence here, so a new contract error
 * cannot reach users as hex.
 */
import { Interface, type ErrorDescription, type Result, formatUnits, id } from "ethers";
import { aidEscrowAbi, aidRegistryAbi, testStablecoinAbi } from "./contracts.ts";

export const PROJECT_STATUS = ["None", "Funding", "Active", "Cancelled", "Closed"] as const;
export const ENROLMENT_STATUS = ["None", "Enrolled", "Objected", "Removed", "Exited"] as const;

const projectStatus = (v: unknown) => PROJECT_STATUS[Number(v)] ?? `status ${v}`;
const enrolmentStatus = (v: unknown) => ENROLMENT_STATUS[Number(v)] ?? `status ${v}`;
const short = (hex: unknown) => {
  const s = String(hex);
  return s.length > 14 ? `${s.slice(0, 10)}…${s.slice(-4)}` : s;
};
const when = (t: unknown) => {
  const n = Number(t);
  return n > 0 && n < 1e11 ? `${new Date(n * 1000).toISOString().replace(".000Z", "Z")}` : String(t);
};
/** Role ids are keccak256 of their names; show the name when we know it. */
const ROLE_NAMES: Record<string, string> = Object.fromEntries([
  ["0x" + "00".repeat(32), "DEFAULT_ADMIN_ROLE"],
  // Must match the constants in contracts/AidRegistry.sol.
  [id("precisionaid.role.manager"), "MANAGER_ROLE"],
  [id("precisionaid.role.reviewer"), "REVIEWER_ROLE"],
  [id("precisionaid.role.guardian"), "GUARDIAN_ROLE"],
  // AidEscrow.onlyOfficial reports this pseudo-role for callers who are not current officials.
  [id("official"), "official"],
]);
const role = (r: unknown) => ROLE_NAMES[String(r).toLowerCase()] ?? short(r);

type Sentence = (a: Result) => string;

/** One sentence per error name. Arguments are read by name, so a reordered signature still reads right. */
export const ERROR_MESSAGES: Record<string, Sentence> = {
  // ------------------------------------------------------------------ AidRegistry
  AidRegistryNotOfficial: (a) => `${a.account} is not a current official.`,
  AidRegistryOfficialAlreadyActive: (a) => `${a.account} is already an official.`,
  AidRegistryNotAttesterOrReviewer: (a) =>
    `${a.caller} may not revoke this attestation: only its attester (${a.attester}) or a reviewer can.`,
  AidRegistryZeroValue: () => "A commitment, condition id or account was zero, which is never valid.",
  AidRegistryCommitmentAlreadyBound: (a) =>
    `Household ${short(a.commitment)} is already bound to ${a.account}; move it with a rebind instead.`,
  AidRegistryAccountAlreadyBound: (a) => `Account ${a.account} already receives aid for household ${short(a.commitment)}.`,
  AidRegistryIdentityNotBound: (a) => `Household ${short(a.commitment)} has no account bound yet.`,
  AidRegistryRebindRequestMismatch: (a) =>
    `Rebind request #${a.nonce} for household ${short(a.commitment)} is not the current one (#${a.currentNonce}).`,
  AidRegistryRebindAlreadyApproved: (a) => `${a.official} already approved this rebind of household ${short(a.commitment)}.`,
  AidRegistryRebindNotApproved: (a) =>
    `The rebind of household ${short(a.commitment)} has ${a.approvals} approval(s); ${a.threshold} officials are needed.`,
  AidRegistryRebindDelayPending: (a) =>
    `The rebind of household ${short(a.commitment)} can only be executed from ${when(a.readyAt)}.`,
  AidRegistryRebindStale: (a) =>
    `An official was removed since the rebind of household ${short(a.commitment)} was requested; gather approvals again.`,
  AidRegistryInvalidRebindThreshold: (a) => `A rebind needs at least one official (got ${a.threshold}).`,
  AidRegistryExpiryInPast: (a) => `The expiry ${when(a.expiry)} is not in the future (chain time ${when(a.nowTime)}).`,
  AidRegistryAttestationMissing: (a) =>
    `${a.attester} has not attested condition ${short(a.conditionId)} for household ${short(a.commitment)}.`,
  AidRegistryAttestationRevoked: (a) =>
    `${a.attester}'s attestation of condition ${short(a.conditionId)} for household ${short(a.commitment)} was revoked.`,
  AidRegistryAttestationExpired: (a) =>
    `${a.attester}'s attestation of condition ${short(a.conditionId)} for household ${short(a.commitment)} expired at ${when(a.expiry)}.`,
  AidRegistryWrongAttesterCount: (a) =>
    `The eligibility proof must list ${a.expected} attesters (conditions x threshold) but listed ${a.actual}.`,
  AidRegistryAttestersNotAscending: (a) =>
    `Attesters of condition ${short(a.conditionId)} must be listed in ascending address order; ${a.attester} is out of order or repeated.`,

  // ------------------------------------------------------------------ AidEscrow
  AidEscrowInvalidRegistry: (a) => `${a.registry} is not a registry contract.`,
  AidEscrowUnauthorized: (a) => `${a.caller} lacks the ${role(a.role)} role for this action.`,
  AidEscrowNotProjectManager: (a) => `${a.caller} is not the manager of project ${a.projectId}.`,
  AidEscrowUnknownProject: (a) => `There is no project ${a.projectId}.`,
  AidEscrowTokenNotAllowed: (a) => `Token ${a.token} is not allowed for new projects.`,
  AidEscrowInvalidConditionCount: (a) => `A project needs between 1 and ${a.max} conditions (got ${a.count}).`,
  AidEscrowInvalidCondition: (a) => `Condition #${a.index} (${short(a.conditionId)}) is zero or repeated.`,
  AidEscrowInvalidThreshold: (a) => `The threshold must be between 1 and ${a.max} officials (got ${a.threshold}).`,
  AidEscrowZeroAmount: () => "The amount per tranche must be more than zero.",
  AidEscrowInvalidTrancheCount: (a) => `A project needs between 1 and ${a.max} tranches (got ${a.count}).`,
  AidEscrowInvalidUnlockTime: (a) =>
    `Tranche #${a.index} unlocks at ${when(a.unlockTime)}: unlock times must increase and come before the claim deadline.`,
  AidEscrowInvalidDeadlines: (a) =>
    `The deadlines are invalid: funding ends ${when(a.fundingDeadline)} and claims end ${when(a.claimDeadline)}; ` +
    "funding must end in the future and no later than claims.",
  AidEscrowZeroMaxBeneficiaries: () => "The maximum number of beneficiaries must be more than zero.",
  AidEscrowTermsFrozen: (a) => `Project ${a.projectId}'s terms are frozen: ${a.raised} has already been donated.`,
  AidEscrowWrongProjectStatus: (a) =>
    `Project ${a.projectId} is ${projectStatus(a.actual)}, but this needs it to be ${projectStatus(a.expected)}.`,
  AidEscrowProjectNotLive: (a) => `Project ${a.projectId} is ${projectStatus(a.actual)}, not funding or active.`,
  AidEscrowWrongToken: (a) => `Project ${a.projectId} is not paid in ${a.token === "0x0000000000000000000000000000000000000000" ? "ETH" : a.token}.`,
  AidEscrowTransferShortfall: (a) =>
    `Token ${a.token} delivered ${a.received} instead of ${a.expected}; fee-on-transfer tokens are refused.`,
  AidEscrowIdentityNotBound: (a) => `Household ${short(a.commitment)} has no account to pay yet.`,
  AidEscrowCannotEnrol: (a) =>
    `Household ${short(a.commitment)} cannot be enrolled in project ${a.projectId}: it is ${enrolmentStatus(a.status)}.`,
  AidEscrowCapacityReached: (a) => `Project ${a.projectId} already has its maximum of ${a.max} households.`,
  AidEscrowOverCommitment: (a) =>
    `Project ${a.projectId} has ${a.available} uncommitted, but enrolling needs ${a.needed}.`,
  AidEscrowNoTranchesLeft: (a) =>
    `No tranche of project ${a.projectId} is left to commit to household ${short(a.commitment)}.`,
  AidEscrowWrongEnrolmentStatus: (a) =>
    `Household ${short(a.commitment)} is ${enrolmentStatus(a.actual)} in project ${a.projectId}, but this needs ${enrolmentStatus(a.expected)}.`,
  AidEscrowPublicityWindowClosed: (a) =>
    `The publicity window of household ${short(a.commitment)} in project ${a.projectId} closed at ${when(a.windowEndsAt)}.`,
  AidEscrowPublicityWindowOpen: (a) =>
    `Household ${short(a.commitment)} is in its publicity window in project ${a.projectId} until ${when(a.windowEndsAt)}.`,
  AidEscrowAttestersMismatch: (a) =>
    `The attesters given for household ${short(a.commitment)} differ from those recorded at enrolment in project ${a.projectId}.`,
  AidEscrowClaimsClosed: (a) => `Claims for project ${a.projectId} closed at ${when(a.claimDeadline)}.`,
  AidEscrowUnknownTranche: (a) => `Project ${a.projectId} has ${a.trancheCount} tranches; there is no tranche #${a.trancheIndex}.`,
  AidEscrowTrancheLocked: (a) => `Tranche #${a.trancheIndex} of project ${a.projectId} unlocks at ${when(a.unlockTime)}.`,
  AidEscrowTrancheSettled: (a) =>
    `Tranche #${a.trancheIndex} of project ${a.projectId} was already claimed or forfeited by household ${short(a.commitment)}.`,
  AidEscrowNotBeneficiary: (a) => `${a.caller} is not the account bound to household ${short(a.commitment)}.`,
  AidEscrowEligibilityUnproven: (a) =>
    `Household ${short(a.commitment)}'s eligibility in project ${a.projectId} must be proven again: pass its current attesters.`,
  AidEscrowSignatureExpired: (a) => `The signed claim expired at ${when(a.deadline)}.`,
  AidEscrowInvalidSignature: (a) => `The signature is not ${a.recipient}'s.`,
  AidEscrowWrongAmount: (a) => `The signed amount ${a.signed} differs from the tranche amount ${a.expected}.`,
  AidEscrowCancellationAlreadyApproved: (a) => `${a.approver} already approved cancelling project ${a.projectId}.`,
  AidEscrowNothingToRefund: (a) => `${a.donor} has nothing to refund in project ${a.projectId}.`,
  AidEscrowInsufficientAllowance: (a) =>
    `The escrow may spend only ${a.allowance} of token ${a.token} but needs ${a.needed}; approve it first.`,

  // ------------------------------------------------------------------ OpenZeppelin
  AccessControlBadConfirmation: () => "Only the account itself can renounce its role.",
  AccessControlEnforcedDefaultAdminDelay: (a) => `The admin transfer can only complete from ${when(a.schedule)}.`,
  AccessControlEnforcedDefaultAdminRules: () => "The default admin role can only change through the two-step, delayed transfer.",
  AccessControlInvalidDefaultAdmin: (a) => `${a.defaultAdmin} cannot become the default admin.`,
  AccessControlUnauthorizedAccount: (a) => `${a.account} lacks the ${role(a.neededRole)} role.`,
  EnforcedPause: () => "The escrow is paused by its guardian; donations, enrolments and claims wait.",
  ExpectedPause: () => "The escrow is not paused.",
  FailedCall: () => "A payment call failed (the recipient refused the transfer).",
  InsufficientBalance: (a) => `The balance ${a.balance} is below the ${a.needed} needed.`,
  InvalidAccountNonce: (a) => `${a.account}'s nonce is ${a.currentNonce}; the signature used another one.`,
  InvalidShortString: () => "A short string was malformed.",
  StringTooLong: (a) => `The string "${a.str}" is too long.`,
  ReentrancyGuardReentrantCall: () => "A call tried to re-enter the escrow and was refused.",
  SafeCastOverflowedUintDowncast: (a) => `The value ${a.value} does not fit in ${a.bits} bits.`,
  SafeERC20FailedOperation: (a) => `The token ${a.token} refused the transfer.`,
  ECDSAInvalidSignature: () => "The signature is invalid.",
  ECDSAInvalidSignatureLength: (a) => `The signature is ${a.length} bytes long; 65 are expected.`,
  ECDSAInvalidSignatureS: () => "The signature is malleable (its s value is too high).",
  ERC20InsufficientAllowance: (a) => `${a.spender} may spend only ${a.allowance} but needs ${a.needed}.`,
  ERC20InsufficientBalance: (a) => `${a.sender} holds ${fmt6(a.balance)} but needs ${fmt6(a.needed)}.`,
  ERC20InvalidApprover: (a) => `${a.approver} cannot approve.`,
  ERC20InvalidReceiver: (a) => `${a.receiver} cannot receive tokens.`,
  ERC20InvalidSender: (a) => `${a.sender} cannot send tokens.`,
  ERC20InvalidSpender: (a) => `${a.spender} cannot be approved as a spender.`,
  ERC2612ExpiredSignature: (a) => `The permit expired at ${when(a.deadline)}.`,
  ERC2612InvalidSigner: (a) => `The permit was signed by ${a.signer}, not by the owner ${a.owner}.`,
};

/** Token amounts in errors come raw; show the stablecoin's 6 decimals too, as that is the common case. */
function fmt6(v: unknown): string {
  return `${v} (${formatUnits(BigInt(v as bigint), 6)} at 6 decimals)`;
}

const PANICS: Record<number, string> = {
  0x01: "an internal assertion failed",
  0x11: "an arithmetic operation overflowed",
  0x12: "a division by zero",
  0x21: "an invalid enum value",
  0x31: "a pop from an empty array",
  0x32: "an out-of-bounds array access",
  0x41: "too much memory was allocated",
  0x51: "an uninitialised function was called",
};

/** Every ABI we know; errors are decoded against all of them because a call can revert in any contract. */
export const KNOWN_ABIS = [aidRegistryAbi, aidEscrowAbi, testStablecoinAbi] as const;
const interfaces = KNOWN_ABIS.map((abi) => new Interface(abi as never));

/** Names of every custom error across the known ABIs (for the completeness test). */
export function knownErrorNames(): string[] {
  const names = new Set<string>();
  for (const iface of interfaces) iface.forEachError((e) => names.add(e.name));
  return [...names].sort();
}

/** Finds revert data in the many shapes ethers, Hardhat and wallets wrap it in. */
export function findRevertData(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || err === null || err === undefined) return undefined;
  if (typeof err === "string") return /^0x[0-9a-fA-F]{8}/.test(err) ? err : undefined;
  if (typeof err !== "object") return undefined;
  const o = err as Record<string, unknown>;
  for (const key of ["data", "revert", "error", "info", "cause", "value"]) {
    if (!(key in o)) continue;
    const v = o[key];
    if (key === "revert" && v && typeof v === "object") continue; // ethers' decoded form; raw data is in .data
    const found = findRevertData(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export interface DecodedError {
  name: string;
  args: Result | readonly unknown[];
  message: string;
}

export function decodeRevert(data: string): DecodedError | undefined {
  for (const iface of interfaces) {
    let parsed: ErrorDescription | null = null;
    try {
      parsed = iface.parseError(data);
    } catch {
      parsed = null;
    }
    if (!parsed) continue;
    if (parsed.name === "Error") return { name: "Error", args: parsed.args, message: `Reverted: ${parsed.args[0]}` };
    if (parsed.name === "Panic") {
      const code = Number(parsed.args[0]);
      return { name: "Panic", args: parsed.args, message: `The contract stopped: ${PANICS[code] ?? `panic 0x${code.toString(16)}`}.` };
    }
    const sentence = ERROR_MESSAGES[parsed.name];
    return {
      name: parsed.name,
      args: parsed.args,
      message: sentence ? sentence(parsed.args) : `The contract refused with ${parsed.name}.`,
    };
  }
  return undefined;
}

/** An English sentence for any error thrown while calling our contracts. */
export function explainError(err: unknown): string {
  const data = findRevertData(err);
  if (data) {
    const decoded = decodeRevert(data);
    if (decoded) return decoded.message;
  }
  const e = err as { shortMessage?: string; message?: string; code?: string };
  if (e?.code === "INSUFFICIENT_FUNDS") return "The sending account cannot pay for gas.";
  if (e?.code === "ECONNREFUSED" || /ECONNREFUSED|failed to detect network/i.test(e?.message ?? ""))
    return "Cannot reach the RPC node. Is it running (npm start)?";
  return e?.shortMessage ?? e?.message ?? String(err);
}
