/**
 * Helpers for the escrow funding-side tests (projects, donations, cancellation, refunds, pause).
 * Built on test/helpers/fixtures.ts; nothing here replaces a contract with a mock of our own.
 */
import type { Signature } from "ethers";
import { PERMIT_TYPES } from "../../lib/chain/permit.ts";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  ethers,
  networkHelpers,
  deployProtocol,
  createProject as createProjectLoose,
  identifyHousehold,
  now,
  DAY,
  type Protocol,
} from "../helpers/fixtures.ts";
import type {
  FeeOnTransferToken,
  NoReturnToken,
  ReturnsFalseToken,
  RevertingToken,
  TestStablecoin,
} from "../../types/ethers-contracts/index.ts";

/** ProjectStatus as declared in contracts/interfaces/AidTypes.sol. */
export const Status = { None: 0n, Funding: 1n, Active: 2n, Cancelled: 3n, Closed: 4n } as const;

/** ReentrantBeneficiary.Attack. */
export const Attack = { None: 0, Claim: 1, Refund: 2 } as const;

/** The protocol plus every weird token of contracts/mocks/WeirdTokens.sol, each allowlisted by the admin. */
export async function deployWithWeirdTokens() {
  const p = await deployProtocol();
  const fee: FeeOnTransferToken = await ethers.deployContract("FeeOnTransferToken");
  const returnsFalse: ReturnsFalseToken = await ethers.deployContract("ReturnsFalseToken");
  const reverting: RevertingToken = await ethers.deployContract("RevertingToken");
  const noReturn: NoReturnToken = await ethers.deployContract("NoReturnToken");
  for (const t of [fee, returnsFalse, reverting, noReturn]) {
    await p.escrow.connect(p.admin).setTokenAllowed(await t.getAddress(), true);
  }
  return { ...p, weird: { fee, returnsFalse, reverting, noReturn } };
}

export type WeirdProtocol = Awaited<ReturnType<typeof deployWithWeirdTokens>>;

/** Mints `amount` of the stablecoin to `who` and approves the escrow for it. */
export async function fundStable(p: Protocol, who: HardhatEthersSigner, amount: bigint) {
  await p.stablecoin.mint(who.address, amount);
  await p.stablecoin.connect(who).approve(await p.escrow.getAddress(), amount);
}

/** Signs an EIP-2612 permit with the domain read from the token itself (ERC-5267). */
export async function signPermit(
  token: TestStablecoin,
  owner: HardhatEthersSigner,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<Signature> {
  const d = await token.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  const types = { Permit: [...PERMIT_TYPES.Permit] };
  const ownerAddress = owner.address;
  const message = { owner: ownerAddress, spender, value, nonce: await token.nonces(ownerAddress), deadline };
  return ethers.Signature.from(await owner.signTypedData(domain, types, message));
}

/** createProject from the shared fixtures, with the numeric terms it returns narrowed to bigint. */
export async function createProject(p: Protocol, overrides: Parameters<typeof createProjectLoose>[1] = {}) {
  const { projectId, terms } = await createProjectLoose(p, overrides);
  return {
    projectId,
    terms: {
      ...terms,
      amountPerTranche: BigInt(terms.amountPerTranche),
      trancheUnlockTimes: terms.trancheUnlockTimes.map((u) => BigInt(u)),
      fundingDeadline: BigInt(terms.fundingDeadline),
      claimDeadline: BigInt(terms.claimDeadline),
    },
  };
}

/** Moves the chain to `t` (the next transaction runs at exactly `t`). */
export async function at(t: bigint) {
  await networkHelpers.time.setNextBlockTimestamp(t);
}

export type { HardhatEthersSigner };
export { ethers, networkHelpers, deployProtocol, identifyHousehold, now, DAY, type Protocol };
