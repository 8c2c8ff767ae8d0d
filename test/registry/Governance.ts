/**
 * The admin timelock (issue 11, scenario 1): every admin action that can change who gets paid takes
 * effect only after a public delay, and the floors in code hold even through the timelock. The local
 * chain's tests deploy through ignition/modules/PrecisionAid.ts with `admin` zero (the shape of every
 * real network); the floors that apply outside the local chain are tested on an in-process chain with
 * Sepolia's chain id.
 */
import { expect } from "chai";
import { network } from "hardhat";
import {
  ethers,
  networkHelpers,
  ADMIN_DELAY,
  REBIND_DELAY,
  DAY,
  commitmentOf,
  now,
} from "../helpers/fixtures.ts";
import {
  governedFixture,
  governed,
  operation,
  call,
  minedAt,
  nextTxAt,
  profileOf,
  bind,
  DEFAULT_ADMIN_ROLE,
  packEpoch,
  type Governed,
} from "./helpers.ts";
import { claimableFixture, perTranche } from "../escrow-claims/helpers.ts";
import PrecisionAidModule from "../../ignition/modules/PrecisionAid.ts";
import { AidRegistry__factory } from "../../types/ethers-contracts/index.ts";

/** TimelockController's operation states, as a bitmap of the expected ones (OpenZeppelin's encoding). */
const READY_STATE = 1n << 2n;

/** governedFixture with three officials, a reviewer and a manager appointed through the timelock. */
async function staffedFixture() {
  const g = await governedFixture();
  for (const [i, o] of g.officials.entries()) await governed(g, call(g.registry, "addOfficial", [o.address, profileOf(`Official ${i}`)]), ethers.id(`o${i}`));
  await governed(g, call(g.registry, "grantRole", [await g.registry.REVIEWER_ROLE(), g.reviewer.address]));
  return g;
}

async function schedule(g: Governed, data: string, target?: string) {
  const op = operation(g, target ?? (await g.registry.getAddress()), data);
  const at = await minedAt(g.timelock.connect(g.governor).schedule(op.target, 0n, op.data, op.predecessor, op.salt, ADMIN_DELAY));
  return { op, readyAt: at + ADMIN_DELAY };
}

describe("AidRegistry admin timelock", function () {
  it("is the registry's only admin when the module is deployed with `admin` zero", async function () {
    const g = await networkHelpers.loadFixture(governedFixture);
    const timelock = await g.timelock.getAddress();
    expect(await g.registry.defaultAdmin()).to.equal(timelock);
    expect(await g.registry.hasRole(DEFAULT_ADMIN_ROLE, g.deployer.address)).to.equal(false);
    expect(await g.registry.hasRole(DEFAULT_ADMIN_ROLE, g.governor.address)).to.equal(false);
    expect(await g.timelock.getMinDelay()).to.equal(ADMIN_DELAY);
    expect(await g.timelock.hasRole(await g.timelock.PROPOSER_ROLE(), g.governor.address)).to.equal(true);
    expect(await g.timelock.hasRole(await g.timelock.CANCELLER_ROLE(), g.governor.address)).to.equal(true);
    // Anyone may execute once the delay passed; nobody holds the timelock's own admin role but itself.
    expect(await g.timelock.hasRole(await g.timelock.EXECUTOR_ROLE(), ethers.ZeroAddress)).to.equal(true);
    expect(await g.timelock.hasRole(DEFAULT_ADMIN_ROLE, g.deployer.address)).to.equal(false);
    expect(await g.timelock.hasRole(DEFAULT_ADMIN_ROLE, timelock)).to.equal(true);
  });

  describe("scenario: the admin cannot redirect payments without a public delay", function () {
    it("refuses the governor's and the deployer's direct admin calls", async function () {
      const g = await networkHelpers.loadFixture(governedFixture);
      for (const caller of [g.governor, g.deployer]) {
        await expect(g.registry.connect(caller).addOfficial(caller.address, profileOf("Me")))
          .to.be.revertedWithCustomError(g.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
        await expect(g.registry.connect(caller).setRebindPolicy(2, 0))
          .to.be.revertedWithCustomError(g.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
        await expect(g.registry.connect(caller).grantRole(await g.registry.REVIEWER_ROLE(), caller.address))
          .to.be.revertedWithCustomError(g.registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
        await expect(g.escrow.connect(caller).setTokenAllowed(await g.escrow.getAddress(), true))
          .to.be.revertedWithCustomError(g.escrow, "AidEscrowUnauthorized")
          .withArgs(caller.address, DEFAULT_ADMIN_ROLE);
      }
    });

    it("publishes a scheduled appointment, refuses it before the delay and applies it after", async function () {
      const g = await networkHelpers.loadFixture(governedFixture);
      const data = call(g.registry, "addOfficial", [g.governor.address, profileOf("Self-appointed")]);
      const op = operation(g, await g.registry.getAddress(), data);
      const t = (await now()) + 10n;
      await nextTxAt(t);
      // The public notice households and reviewers can read: the call, its target and when it can run.
      await expect(g.timelock.connect(g.governor).schedule(op.target, 0n, op.data, op.predecessor, op.salt, ADMIN_DELAY))
        .to.emit(g.timelock, "CallScheduled")
        .withArgs(op.id, 0n, op.target, 0n, op.data, op.predecessor, ADMIN_DELAY);
      expect(await g.timelock.getTimestamp(op.id)).to.equal(t + ADMIN_DELAY);

      for (const at of [t + 1n, t + ADMIN_DELAY - 1n]) {
        await nextTxAt(at);
        await expect(g.timelock.connect(g.outsider).execute(op.target, 0n, op.data, op.predecessor, op.salt))
          .to.be.revertedWithCustomError(g.timelock, "TimelockUnexpectedOperationState")
          .withArgs(op.id, READY_STATE);
      }
      expect(await g.registry.isOfficial(g.governor.address)).to.equal(false);

      await nextTxAt(t + ADMIN_DELAY);
      const timelock = await g.timelock.getAddress();
      await expect(g.timelock.connect(g.outsider).execute(op.target, 0n, op.data, op.predecessor, op.salt))
        .to.emit(g.registry, "OfficialAdded")
        .withArgs(g.governor.address, timelock)
        .and.to.emit(g.registry, "OfficialProfileSet")
        .withArgs(g.governor.address, "Self-appointed", "Township poverty-alleviation office", "cn-gz-leishan");
      expect(await g.registry.isOfficial(g.governor.address)).to.equal(true);
    });

    it("lets the canceller withdraw a scheduled action during the delay", async function () {
      const g = await networkHelpers.loadFixture(governedFixture);
      const { op, readyAt } = await schedule(g, call(g.registry, "addOfficial", [g.outsider.address, profileOf("Puppet")]));
      await expect(g.timelock.connect(g.outsider).cancel(op.id))
        .to.be.revertedWithCustomError(g.timelock, "AccessControlUnauthorizedAccount")
        .withArgs(g.outsider.address, await g.timelock.CANCELLER_ROLE());
      await expect(g.timelock.connect(g.governor).cancel(op.id)).to.emit(g.timelock, "Cancelled").withArgs(op.id);
      await nextTxAt(readyAt);
      await expect(g.timelock.connect(g.outsider).execute(op.target, 0n, op.data, op.predecessor, op.salt))
        .to.be.revertedWithCustomError(g.timelock, "TimelockUnexpectedOperationState")
        .withArgs(op.id, READY_STATE);
      expect(await g.registry.isOfficial(g.outsider.address)).to.equal(false);
    });

    it("delays role grants, removals, the re-bind policy and the escrow's token allowlist the same way", async function () {
      const g = await networkHelpers.loadFixture(staffedFixture);
      const reviewerRole = await g.registry.REVIEWER_ROLE();
      const token = await (await ethers.deployContract("TestStablecoin")).getAddress();
      const cases: { data: string; target?: string; check: () => Promise<boolean> }[] = [
        { data: call(g.registry, "grantRole", [reviewerRole, g.outsider.address]), check: () => g.registry.hasRole(reviewerRole, g.outsider.address) },
        { data: call(g.registry, "removeOfficial", [g.officials[2].address]), check: async () => !(await g.registry.isOfficial(g.officials[2].address)) },
        { data: call(g.registry, "setRebindPolicy", [3, 5n * DAY]), check: async () => (await g.registry.rebindPolicy())[0] === 3n },
        {
          data: g.escrow.interface.encodeFunctionData("setTokenAllowed", [token, true]),
          target: await g.escrow.getAddress(),
          check: () => g.escrow.isTokenAllowed(token),
        },
        {
          data: call(g.registry, "setOfficialProfile", [g.officials[0].address, profileOf("Renamed")]),
          check: async () => (await g.registry.officialProfile(g.officials[0].address)).name === "Renamed",
        },
      ];
      for (const c of cases) {
        const { op, readyAt } = await schedule(g, c.data, c.target);
        await nextTxAt(readyAt - 1n);
        await expect(g.timelock.execute(op.target, 0n, op.data, op.predecessor, op.salt)).to.be.revertedWithCustomError(
          g.timelock,
          "TimelockUnexpectedOperationState",
        );
        expect(await c.check()).to.equal(false);
        await nextTxAt(readyAt);
        await g.timelock.execute(op.target, 0n, op.data, op.predecessor, op.salt);
        expect(await c.check()).to.equal(true);
      }
    });

    it("still refuses a one-official re-bind policy when it comes through the timelock", async function () {
      const g = await networkHelpers.loadFixture(governedFixture);
      const { op, readyAt } = await schedule(g, call(g.registry, "setRebindPolicy", [1, 0]));
      await nextTxAt(readyAt);
      await expect(g.timelock.execute(op.target, 0n, op.data, op.predecessor, op.salt))
        .to.be.revertedWithCustomError(g.registry, "AidRegistryInvalidRebindThreshold")
        .withArgs(1, 2, 16);
      const [threshold] = await g.registry.rebindPolicy();
      expect(threshold).to.equal(2n);
    });

    it("gives a self-appointed official no power over a household alone: the re-bind is public and the household cancels it", async function () {
      const g = await networkHelpers.loadFixture(staffedFixture);
      const commitment = commitmentOf("520101199001011234", "salt-a");
      await bind({ registry: g.registry, officials: g.officials }, commitment, g.household.address);
      await governed(g, call(g.registry, "addOfficial", [g.governor.address, profileOf("Self-appointed")]), ethers.id("self"));
      // Alone, the admin's official can open a request but never execute it.
      await g.registry.connect(g.governor).requestRebind(commitment, g.governor.address);
      await networkHelpers.time.increase(REBIND_DELAY);
      await expect(g.registry.executeRebind(commitment))
        .to.be.revertedWithCustomError(g.registry, "AidRegistryRebindNotApproved")
        .withArgs(commitment, 1, 2);
      // With one corrupt official more, the household still sees it in time and cancels.
      await g.registry.connect(g.officials[0]).approveRebind(commitment, 1);
      await expect(g.registry.connect(g.household).cancelRebind(commitment, 1))
        .to.emit(g.registry, "RebindCancelled")
        .withArgs(commitment, 1, g.household.address);
      expect((await g.registry.identity(commitment)).account).to.equal(g.household.address);
    });

    it("makes the first claim after a re-bind need a fresh proof: the cached one no longer pays", async function () {
      const { p, projectId, terms, hh } = await networkHelpers.loadFixture(claimableFixture);
      const thief = p.outsider;
      const [, epochBefore] = await p.registry.eligibilityEpoch(hh.commitment);
      await p.registry.connect(p.officials[0]).requestRebind(hh.commitment, thief.address);
      await p.registry.connect(p.officials[1]).approveRebind(hh.commitment, 1);
      await networkHelpers.time.increase(REBIND_DELAY);
      await p.registry.executeRebind(hh.commitment);
      const [, epochAfter] = await p.registry.eligibilityEpoch(hh.commitment);
      expect(epochAfter).to.equal(epochBefore + packEpoch(1n, 0n));
      // The proof cached at enrolment would have paid at once before; now it does not.
      await expect(p.escrow.connect(thief).claim(projectId, hh.commitment, 0, []))
        .to.be.revertedWithCustomError(p.escrow, "AidEscrowEligibilityUnproven")
        .withArgs(projectId, hh.commitment);
      // Current officials' attestations prove it again.
      await expect(p.escrow.connect(thief).claim(projectId, hh.commitment, 0, hh.attesters))
        .to.emit(p.escrow, "AidClaimed")
        .withArgs(projectId, hh.commitment, thief.address, 0, perTranche(terms));
    });
  });

  it("lets the timelock hand the admin role on, two-step, on the local chain", async function () {
    const g = await networkHelpers.loadFixture(governedFixture);
    const data = call(g.registry, "beginDefaultAdminTransfer", [g.governor.address]);
    await governed(g, data);
    const [pending] = await g.registry.pendingDefaultAdmin();
    expect(pending).to.equal(g.governor.address);
  });
});

describe("AidRegistry floors outside the local chain", function () {
  /** An in-process chain with Sepolia's id: the registry's floors apply there. */
  async function realChain() {
    const conn = await network.create({ network: "hardhat", override: { chainId: 11155111 } });
    const [deployer, governor, outsider] = await conn.ethers.getSigners();
    const timelockFactory = await conn.ethers.getContractFactory("TimelockController");
    const registryFactory = await conn.ethers.getContractFactory("AidRegistry");
    const deployTimelock = (delay: bigint) =>
      timelockFactory.deploy(delay, [governor.address], [ethers.ZeroAddress], ethers.ZeroAddress);
    return { conn, deployer, governor, outsider, registryFactory, deployTimelock };
  }

  it("refuses a direct admin", async function () {
    const c = await realChain();
    await expect(c.registryFactory.deploy(c.deployer.address, ethers.ZeroAddress, 2n * DAY, 2, 3n * DAY))
      .to.be.revertedWithCustomError(c.registryFactory, "AidRegistryDirectAdminOutsideLocalChain")
      .withArgs(c.deployer.address, 11155111n);
  });

  it("refuses an admin that is not a timelock, and a timelock delay under one day", async function () {
    const c = await realChain();
    for (const notTimelock of [c.outsider.address, ethers.ZeroAddress, await (await c.conn.ethers.deployContract("TestStablecoin")).getAddress()]) {
      await expect(c.registryFactory.deploy(ethers.ZeroAddress, notTimelock, 2n * DAY, 2, 3n * DAY))
        .to.be.revertedWithCustomError(c.registryFactory, "AidRegistryAdminNotTimelock")
        .withArgs(notTimelock);
    }
    const short = await c.deployTimelock(DAY - 1n);
    await expect(c.registryFactory.deploy(ethers.ZeroAddress, await short.getAddress(), 2n * DAY, 2, 3n * DAY))
      .to.be.revertedWithCustomError(c.registryFactory, "AidRegistryAdminDelayTooShort")
      .withArgs(await short.getAddress(), DAY - 1n, DAY);
  });

  it("refuses a re-bind delay under one day, at deployment and later through the timelock", async function () {
    const c = await realChain();
    const timelock = await c.deployTimelock(DAY);
    const timelockAddress = await timelock.getAddress();
    await expect(c.registryFactory.deploy(ethers.ZeroAddress, timelockAddress, 2n * DAY, 2, DAY - 1n))
      .to.be.revertedWithCustomError(c.registryFactory, "AidRegistryRebindDelayOutOfRange")
      .withArgs(DAY - 1n, DAY, 30n * DAY);
    const registry = await c.registryFactory.deploy(ethers.ZeroAddress, timelockAddress, 2n * DAY, 2, DAY);
    expect(await registry.defaultAdmin()).to.equal(timelockAddress);
    const target = await registry.getAddress();
    const data = registry.interface.encodeFunctionData("setRebindPolicy", [2, 3600]);
    await timelock.connect(c.governor).schedule(target, 0n, data, ethers.ZeroHash, ethers.ZeroHash, DAY);
    await c.conn.networkHelpers.time.increase(DAY);
    await expect(timelock.execute(target, 0n, data, ethers.ZeroHash, ethers.ZeroHash))
      .to.be.revertedWithCustomError(registry, "AidRegistryRebindDelayOutOfRange")
      .withArgs(3600, DAY, 30n * DAY);
  });

  it("refuses handing the admin role to anything but a timelock with the floor delay (renouncing stays possible)", async function () {
    const c = await realChain();
    const timelock = await c.deployTimelock(DAY);
    const registry = await c.registryFactory.deploy(ethers.ZeroAddress, await timelock.getAddress(), 2n * DAY, 2, DAY);
    const target = await registry.getAddress();
    const viaTimelock = async (data: string, salt: string) => {
      await timelock.connect(c.governor).schedule(target, 0n, data, ethers.ZeroHash, salt, DAY);
      await c.conn.networkHelpers.time.increase(DAY);
      return timelock.execute(target, 0n, data, ethers.ZeroHash, salt);
    };
    await expect(viaTimelock(registry.interface.encodeFunctionData("beginDefaultAdminTransfer", [c.outsider.address]), ethers.id("1")))
      .to.be.revertedWithCustomError(registry, "AidRegistryAdminNotTimelock")
      .withArgs(c.outsider.address);
    const other = await c.deployTimelock(DAY);
    await expect(viaTimelock(registry.interface.encodeFunctionData("beginDefaultAdminTransfer", [await other.getAddress()]), ethers.id("2")))
      .to.emit(registry, "DefaultAdminTransferScheduled");
    await expect(viaTimelock(registry.interface.encodeFunctionData("beginDefaultAdminTransfer", [ethers.ZeroAddress]), ethers.id("3")))
      .to.emit(registry, "DefaultAdminTransferScheduled");
  });

  it("deploys through the production module with a real network's parameters", async function () {
    const c = await realChain();
    const deployed = await c.conn.ignition.deploy(PrecisionAidModule, {
      parameters: {
        PrecisionAid: {
          admin: ethers.ZeroAddress,
          adminDelay: Number(2n * DAY),
          proposers: [c.governor.address],
          executors: [ethers.ZeroAddress],
          adminTransferDelay: Number(2n * DAY),
          rebindThreshold: 2,
          rebindDelay: Number(3n * DAY),
        },
      },
    });
    const registry = AidRegistry__factory.connect(await deployed.registry.getAddress(), c.deployer);
    expect(await registry.defaultAdmin()).to.equal(await deployed.timelock.getAddress());
    expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, c.deployer.address)).to.equal(false);
    const [threshold, delay] = await registry.rebindPolicy();
    expect([threshold, delay]).to.deep.equal([2n, 3n * DAY]);
  });
});
