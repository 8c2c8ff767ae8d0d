/**
 * Shared fixtures for the TypeScript tests. Contracts are deployed through the same Ignition module as
 * production (ignition/modules/PrecisionAid.ts), so deployment is tested by every test.
 */
import { network } from "hardhat";
import type { Signer } from "ethers";
import PrecisionAidModule from "../../ignition/modules/PrecisionAid.ts";
import { BIND_IDENTITY_TYPES as BIND_IDENTITY_SHAPE } from "../../lib/registry/typed-data.ts";
import type { AidEscrow, AidRegistry, TestStablecoin } from "../../types/ethers-contracts/index.ts";
import { AidEscrow__factory, AidRegistry__factory } from "../../types/ethers-contracts/index.ts";
import { commitHousehold } from "../../lib/registry/household.ts";

export const connection = await network.create();
export const { ethers, ignition, networkHelpers } = connection;

export const DAY = 24n * 60n * 60n;
export const ADMIN_DELAY = 2n * DAY;
export const REBIND_DELAY = 3n * DAY;

export const condition = (name: string) => ethers.id(name);
export const INCOME = condition("household.income-below-line");
export const SCHOOL = condition("household.child-in-school");
export const label = (text: string) => ethers.encodeBytes32String(text);
/**
 * A household's salted identity commitment, by the one recipe (lib/registry/household.ts): only the hash
 * goes on chain. Tests name made-up identities and salts with short labels, so the number is hashed as
 * given (not checked as a resident ID) and the salt is the keccak256 of its label.
 */
export const commitmentOf = (idNumber: string, salt: string) => commitHousehold({ idKind: "cn-ric", idNumber }, ethers.id(salt) as `0x${string}`);

export async function now(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest());
}

/** The Ignition parameters every test deployment uses (the module's own defaults otherwise). */
export async function protocolParameters() {
  const [admin] = await ethers.getSigners();
  return {
    PrecisionAid: {
      admin: admin.address,
      adminTransferDelay: Number(ADMIN_DELAY),
      rebindThreshold: 2,
      rebindDelay: Number(REBIND_DELAY),
    },
  };
}

/** An official's public profile, as addOfficial records it. */
export const profileOf = (name: string, office = "Township poverty-alleviation office", jurisdiction = "cn-gz-leishan") => ({
  name,
  office,
  jurisdiction,
});

/** The EIP-712 shape of a binding approval (lib/registry/typed-data.ts; ethers wants a mutable copy). */
export const BIND_IDENTITY_TYPES = { BindIdentity: [...BIND_IDENTITY_SHAPE.BindIdentity] };

/** The registry's EIP-712 domain, read from the contract (ERC-5267), never hard-coded. */
export async function registryDomain(registry: AidRegistry) {
  const d = await registry.eip712Domain();
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}

/** One official's signature approving the binding of `commitment` to `account` until `deadline`. */
export async function signBinding(registry: AidRegistry, official: Signer, commitment: string, account: string, deadline: bigint) {
  return official.signTypedData(await registryDomain(registry), BIND_IDENTITY_TYPES, { commitment, account, deadline });
}

/**
 * Binds `commitment` to `account` with the signatures of `signers` (default: the first k officials, k
 * being the registry's threshold), submitted by `submitter` (default: the first signer). Signers are
 * sorted by address, as the registry requires. Returns the transaction.
 */
export async function bind(
  p: { registry: AidRegistry; officials: Signer[] },
  commitment: string,
  account: string,
  o: { signers?: Signer[]; submitter?: Signer; deadline?: bigint } = {},
) {
  const [k] = await p.registry.rebindPolicy();
  const signers = sortByAddress(
    await Promise.all((o.signers ?? p.officials.slice(0, Number(k))).map(async (s) => ({ s, address: await s.getAddress() }))),
  );
  const deadline = o.deadline ?? (await now()) + DAY;
  const signatures = await Promise.all(signers.map(({ s }) => signBinding(p.registry, s, commitment, account, deadline)));
  return p.registry.connect(o.submitter ?? signers[0].s).bindIdentity(
    commitment,
    account,
    deadline,
    signers.map((x) => x.address),
    signatures,
  );
}

export function sortByAddress<T extends { address: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
}

/**
 * Hands out every role of a freshly deployed registry and escrow to the test signers, appoints three
 * officials and allowlists a local stablecoin. Returns the cast by role. Officials are sorted by
 * address, so attester and signer lists can be passed in the ascending order the contracts need.
 */
export async function staffProtocol(registry: AidRegistry, escrow: AidEscrow) {
  const [admin, manager, official1, official2, official3, reviewer, guardian, donor1, donor2, donor3, household1, household2, outsider, relayer] =
    await ethers.getSigners();
  await registry.grantRole(await registry.MANAGER_ROLE(), manager.address);
  await registry.grantRole(await registry.REVIEWER_ROLE(), reviewer.address);
  await registry.grantRole(await registry.GUARDIAN_ROLE(), guardian.address);
  const officials = sortByAddress([official1, official2, official3]);
  for (const [i, o] of officials.entries()) await registry.addOfficial(o.address, profileOf(`Official ${i + 1}`));

  const stablecoin: TestStablecoin = await ethers.deployContract("TestStablecoin");
  await escrow.setTokenAllowed(await stablecoin.getAddress(), true);

  return {
    stablecoin,
    admin,
    manager,
    officials,
    reviewer,
    guardian,
    donors: [donor1, donor2, donor3],
    households: [household1, household2],
    outsider,
    relayer,
  };
}

/** Deploys registry and escrow through Ignition and hands out every role. */
export async function deployProtocol() {
  const [admin] = await ethers.getSigners();
  const deployed = await ignition.deploy(PrecisionAidModule, { parameters: await protocolParameters() });
  const registry: AidRegistry = AidRegistry__factory.connect(await deployed.registry.getAddress(), admin);
  const escrow: AidEscrow = AidEscrow__factory.connect(await deployed.escrow.getAddress(), admin);
  /** The escrow's linked library: a direct deployment of AidEscrow needs its address. */
  const escrowLibraries = { AidEscrowGovernance: await deployed.escrowGovernance.getAddress() };
  return { registry, escrow, escrowLibraries, ...(await staffProtocol(registry, escrow)) };
}

export type Protocol = Awaited<ReturnType<typeof deployProtocol>>;

/** Project terms with concrete types (the contract's input type admits any BigNumberish). */
export type Terms = {
  token: string;
  category: string;
  region: string;
  metadataURI: string;
  conditions: string[];
  threshold: number;
  amountPerTranche: bigint;
  trancheUnlockTimes: bigint[];
  maxBeneficiaries: number;
  fundingDeadline: bigint;
  claimDeadline: bigint;
  publicityWindow: number;
};

/** Sensible terms relative to the current block time; override any field. */
export async function defaultTerms(overrides: Partial<Terms> = {}): Promise<Terms> {
  const t = await now();
  return {
    token: ethers.ZeroAddress,
    category: label("education"),
    region: label("cn-gz-leishan"),
    metadataURI: "ipfs://bafy-project",
    conditions: [INCOME],
    threshold: 2,
    amountPerTranche: ethers.parseEther("1"),
    trancheUnlockTimes: [t + 10n * DAY, t + 40n * DAY, t + 70n * DAY],
    maxBeneficiaries: 10,
    fundingDeadline: t + 5n * DAY,
    claimDeadline: t + 100n * DAY,
    publicityWindow: Number(7n * DAY),
    ...overrides,
  };
}

/** Creates a project as the manager and returns its id. */
export async function createProject(p: Protocol, overrides: Partial<Terms> = {}) {
  const terms = await defaultTerms(overrides);
  await p.escrow.connect(p.manager).createProject(terms);
  return { projectId: await p.escrow.projectCount(), terms };
}

/** Binds a household (the registry's threshold of officials signing) and has the first `k` officials attest `conditions` for it. */
export async function identifyHousehold(
  p: Protocol,
  household: { address: string },
  idNumber: string,
  conditions: string[] = [INCOME],
  k = 2,
  expiresIn = 365n * DAY,
) {
  const commitment = commitmentOf(idNumber, `salt-${idNumber}`);
  await bind(p, commitment, household.address);
  const expiry = (await now()) + expiresIn;
  const attesters: string[] = [];
  for (const c of conditions) {
    for (const o of p.officials.slice(0, k)) {
      await p.registry.connect(o).attest(commitment, c, expiry, ethers.id(`evidence:${idNumber}:${c}`), 70);
      attesters.push(o.address);
    }
  }
  return { commitment, attesters, expiry };
}
