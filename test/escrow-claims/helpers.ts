/**
 * Helpers and fixtures for the identification and payout tests (enrol, object, exit, claim, claimBySig).
 * Built on test/helpers/fixtures.ts; nothing here replaces a contract.
 */
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject,
  identifyHousehold,
  now,
  type Protocol,
} from "../helpers/fixtures.ts";
import type { AidEscrow } from "../../types/ethers-contracts/index.ts";
import type { Signer } from "ethers";
import { CLAIM_REQUEST_TYPES, EXIT_APPROVAL_TYPES } from "../../lib/escrow/typed-data.ts";

export type Terms = Awaited<ReturnType<typeof createProject>>["terms"];
/** Whatever createProject accepts as overrides (derived, so it follows the shared fixture's type). */
export type TermsOverrides = NonNullable<Parameters<typeof createProject>[1]>;

/** keccak256("official"): the pseudo-role the escrow reports when a non-official calls an official-only function. */
export const OFFICIAL_ROLE = ethers.id("official");

/** Mirrors EnrolmentStatus in AidTypes.sol. */
export const Enrolment = { None: 0n, Enrolled: 1n, Objected: 2n, Removed: 3n, Exited: 4n } as const;
/** Mirrors ProjectStatus in AidTypes.sol. */
export const ProjectStatus = { None: 0n, Funding: 1n, Active: 2n, Cancelled: 3n, Closed: 4n } as const;
/** Mirrors ReentrantBeneficiary.Attack. */
export const Attack = { None: 0, Claim: 1, Refund: 2 } as const;

export const HH1_ID = "520101199001011234";
export const HH2_ID = "520101199202022345";

/** Number of tranches in the project's terms. */
export const trancheCount = (terms: Terms) => BigInt(terms.trancheUnlockTimes.length);
export const perTranche = (terms: Terms) => BigInt(terms.amountPerTranche);
export const unlockAt = (terms: Terms, i: number) => BigInt(terms.trancheUnlockTimes[i]);

/** Donates enough for `households` full enrolments (ETH, or the test stablecoin minted to the donor). */
export async function fund(p: Protocol, projectId: bigint, terms: Terms, households = 1n, donorIndex = 0) {
  const total = perTranche(terms) * trancheCount(terms) * households;
  const donor = p.donors[donorIndex];
  if (terms.token === ethers.ZeroAddress) {
    await p.escrow.connect(donor).donate(projectId, 1, { value: total });
  } else {
    await p.stablecoin.mint(donor.address, total);
    await p.stablecoin.connect(donor).approve(await p.escrow.getAddress(), total);
    await p.escrow.connect(donor).donateToken(projectId, total, 1);
  }
  return total;
}

/** Creates and funds a project (for `households` full enrolments). */
export async function fundedProject(p: Protocol, overrides: TermsOverrides = {}, households = 2n) {
  const { projectId, terms } = await createProject(p, overrides);
  await fund(p, projectId, terms, households);
  return { projectId, terms };
}

/** Enrols at an exact timestamp (the next block's) and returns the window end the contract must compute. */
export async function enrolAt(
  p: Protocol,
  projectId: bigint,
  terms: Terms,
  commitment: string,
  attesters: string[],
  at?: bigint,
  official: Signer = p.officials[0],
) {
  const t = at ?? (await now()) + 1n;
  await networkHelpers.time.setNextBlockTimestamp(t);
  await p.escrow.connect(official).enrol(projectId, commitment, attesters);
  return { enrolledAt: t, windowEndsAt: t + BigInt(terms.publicityWindow) };
}

/** Pins the next block one second after the latest and returns that time. */
export async function atNextSecond() {
  const t = (await now()) + 1n;
  await networkHelpers.time.setNextBlockTimestamp(t);
  return t;
}

/** Moves the next block to exactly `t`. */
export async function nextBlockAt(t: bigint) {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

/** Cancels a project (manager then reviewer) and returns the cancellation time. */
export async function cancel(p: Protocol, projectId: bigint) {
  await p.escrow.connect(p.manager).approveCancellation(projectId);
  const t = (await now()) + 1n;
  await networkHelpers.time.setNextBlockTimestamp(t);
  await p.escrow.connect(p.reviewer).approveCancellation(projectId);
  return t;
}

/**
 * The common starting point: an ETH project (3 tranches of 1 ETH, funded for two households), household 1
 * bound and attested by the first two officials for INCOME, and enrolled by the first official.
 */
export async function enrolledFixture() {
  const p = await deployProtocol();
  const { projectId, terms } = await fundedProject(p);
  const hh = await identifyHousehold(p, p.households[0], HH1_ID);
  const { enrolledAt, windowEndsAt } = await enrolAt(p, projectId, terms, hh.commitment, hh.attesters);
  return { p, projectId, terms, hh, enrolledAt, windowEndsAt };
}

/** enrolledFixture, then time moved to the first tranche's unlock (the window has passed by then). */
export async function claimableFixture() {
  const f = await enrolledFixture();
  await networkHelpers.time.increaseTo(unlockAt(f.terms, 0));
  return f;
}

// ---------------------------------------------------------------- EIP-712 claims

/** The ClaimRequest struct the dApp signs (lib/escrow/typed-data.ts), as ethers wants it (mutable arrays). */
export const CLAIM_TYPES = { ClaimRequest: [...CLAIM_REQUEST_TYPES.ClaimRequest] };

export interface ClaimRequest {
  projectId: bigint;
  commitment: string;
  trancheIndex: number;
  recipient: string;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface Domain {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
}

/** The EIP-712 domain as the contract reports it (ERC-5267), never hard-coded. */
export async function domainOf(escrow: AidEscrow): Promise<Domain> {
  const d = await escrow.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

export async function signClaim(signer: Signer, domain: Domain, request: ClaimRequest) {
  return signer.signTypedData(domain, CLAIM_TYPES, request);
}

/** The digest claimBySig verifies: what an ERC-1271 wallet's owner signs. */
export function claimDigest(domain: Domain, request: ClaimRequest) {
  return ethers.TypedDataEncoder.hash(domain, CLAIM_TYPES, request);
}

// ---------------------------------------------------------------- exits (k officials' EIP-712 signatures)

/**
 * The ExitApproval struct officials sign (IAidEscrow.recordExit), from lib/escrow/typed-data.ts (ethers wants a
 * mutable copy); test/escrow-claims/Exits.ts checks it hashes to EXIT_TYPEHASH.
 */
export const EXIT_TYPES = { ExitApproval: [...EXIT_APPROVAL_TYPES.ExitApproval] };

/** `signers` (ascending, as the contract requires) sign an exit of the household's current enrolment. */
export async function exitApproval(
  p: Protocol,
  projectId: bigint,
  commitment: string,
  reasonHash: string,
  signers: (Signer & { address: string })[] = p.officials.slice(0, 2),
  overrides: { deadline?: bigint; enrolledAt?: bigint } = {},
) {
  const deadline = overrides.deadline ?? (await now()) + 86_400n;
  const enrolledAt = overrides.enrolledAt ?? (await p.escrow.enrolment(projectId, commitment)).enrolledAt;
  const domain = await domainOf(p.escrow);
  const message = { projectId, commitment, reasonHash, enrolledAt, deadline };
  const signatures = await Promise.all(signers.map((s) => s.signTypedData(domain, EXIT_TYPES, message)));
  return { deadline, officials: signers.map((s) => s.address), signatures };
}

/** Records an exit on the first k officials' signatures, submitted by `from` (anyone). */
export async function recordExit(
  p: Protocol,
  projectId: bigint,
  commitment: string,
  reasonHash: string,
  signers?: (Signer & { address: string })[],
  from: Signer = p.outsider,
) {
  const a = await exitApproval(p, projectId, commitment, reasonHash, signers);
  return p.escrow.connect(from).recordExit(projectId, commitment, reasonHash, a.deadline, a.officials, a.signatures);
}
