/**
 * HouseholdPaymaster: a household pays a shop with its passkey and no ETH, the operator's paymaster pays
 * the gas, within the operator's limits. Every refusal reaches the bundler as the EntryPoint's
 * FailedOpWithRevert(0, "AA33 reverted", <our error with its values>), and the same error comes from
 * the checkPayment view before anything is signed.
 */
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { ethers, networkHelpers } from "../helpers/fixtures.ts";
import {
  BATCH_MODE,
  DAY_SECONDS,
  Passkey,
  createAccount,
  bindHousehold,
  dayData,
  deployAccounts,
  executeCalls,
  handleOps,
  packUserOp,
  signUserOp,
  toNoonOfNextDay,
  transferData,
  type UserOperationInput,
} from "./helpers.ts";
import { HouseholdAccount__factory } from "../../types/ethers-contracts/index.ts";

const TUSD = (n: number) => BigInt(n) * 1_000_000n;
const CAP = TUSD(60);
const MAX_COST = ethers.parseEther("0.01");

/**
 * Alice's account, deployed and bound to a household, holding 100 tUSD and no ETH; the operator's
 * paymaster holds 1 ETH of deposit and sponsors tUSD up to 60 a day; the chain is at noon of `day`.
 */
async function sponsoredFixture() {
  const f = await deployAccounts();
  const alice = new Passkey("alice");
  const a = await createAccount(f, alice);
  const commitment = await bindHousehold(f, a.address, "alice");
  const token = await f.stablecoin.getAddress();
  await f.stablecoin.mint(a.address, TUSD(100));
  await f.paymaster.connect(f.donors[0]).deposit({ value: ethers.parseEther("1") });
  await f.paymaster.setDailyCap(token, CAP);
  const paymaster = await f.paymaster.getAddress();
  const day = await toNoonOfNextDay();

  /** A sponsored operation from `sender` (default alice) making `calls`, signed by `passkey` (default alice). */
  async function op(calls: Parameters<typeof executeCalls>[0], o: Partial<UserOperationInput> & { passkey?: Passkey; day?: bigint } = {}) {
    const sender = o.sender ?? a.address;
    const nonce = o.nonce ?? (await f.entryPoint.getNonce(sender, 0n));
    const packed = packUserOp({ callData: executeCalls(calls), paymaster, paymasterData: dayData(o.day ?? day), ...o, sender, nonce });
    return signUserOp(f.entryPoint, packed, o.passkey ?? alice);
  }
  const pay = (to: string, amount: bigint, o: Parameters<typeof op>[1] = {}) => op([{ target: token, data: transferData(to, amount) }], o);
  const submit = async (...ops: Awaited<ReturnType<typeof op>>[]) => handleOps(f.entryPoint, f.bundler, ops);
  /** Expects the paymaster to refuse `userOp` during validation with `error` (encoded with its values). */
  const refused = async (tx: Promise<ContractTransactionResponse>, error: string) =>
    expect(tx).to.be.revertedWithCustomError(f.entryPoint, "FailedOpWithRevert").withArgs(0n, "AA33 reverted", error);
  return { ...f, alice, a, commitment, token, day, op, pay, submit, refused };
}

describe("HouseholdPaymaster", function () {
  describe("a sponsored payment to a shop", function () {
    it("moves exactly the amount to the shop while the household holds no ETH; the paymaster's deposit pays", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const userOp = await f.pay(f.shop.address, TUSD(25));
      const hash = await f.entryPoint.getUserOpHash(userOp);
      const depositBefore = await f.paymaster.getDeposit();
      const tx = f.submit(userOp);
      await expect(tx)
        .to.emit(f.entryPoint, "UserOperationEvent")
        .withArgs(hash, f.a.address, await f.paymaster.getAddress(), 0n, true, (fee: bigint) => fee > 0n, (gas: bigint) => gas > 0n);
      await expect(tx).to.changeTokenBalances(ethers, f.stablecoin, [f.a.address, f.shop.address], [-TUSD(25), TUSD(25)]);
      expect(await ethers.provider.getBalance(f.a.address)).to.equal(0n);
      expect(await f.paymaster.getDeposit()).to.be.lessThan(depositBefore);
      expect(await f.paymaster.spentOn(f.a.address, f.token, Number(f.day))).to.equal(TUSD(25));
      expect(await f.paymaster.operationsOn(f.a.address, Number(f.day))).to.equal(1n);
    });

    it("counts the cap per household per UTC day, and a new day starts from zero", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await (await f.submit(await f.pay(f.shop.address, TUSD(40)))).wait();
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(30))),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterDailyCapExceeded", [f.a.address, f.token, TUSD(30), TUSD(20)]),
      );
      await (await f.submit(await f.pay(f.shop.address, TUSD(20)))).wait();
      await networkHelpers.time.increaseTo((f.day + 1n) * DAY_SECONDS + 60n);
      await expect(f.submit(await f.pay(f.shop.address, TUSD(30), { day: f.day + 1n }))).to.changeTokenBalance(ethers, f.stablecoin, f.shop.address, TUSD(30));
      expect(await f.paymaster.spentOn(f.a.address, f.token, Number(f.day))).to.equal(0n);
      expect(await f.paymaster.spentOn(f.a.address, f.token, Number(f.day + 1n))).to.equal(TUSD(30));
    });

    it("is valid only during its day: an operation for tomorrow waits (AA32 paymaster expired or not due)", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.submit(await f.pay(f.shop.address, TUSD(1), { day: f.day + 1n })))
        .to.be.revertedWithCustomError(f.entryPoint, "FailedOp")
        .withArgs(0n, "AA32 paymaster expired or not due");
    });

    it("pays ETH to a shop when the operator sponsors ETH (token zero)", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.paymaster.setDailyCap(ethers.ZeroAddress, ethers.parseEther("0.5")))
        .to.emit(f.paymaster, "DailyCapSet")
        .withArgs(ethers.ZeroAddress, ethers.parseEther("0.5"));
      await networkHelpers.setBalance(f.a.address, ethers.parseEther("1"));
      const tx = f.submit(await f.op([{ target: f.shop.address, value: ethers.parseEther("0.2") }]));
      await expect(tx).to.changeEtherBalances(ethers, [f.a.address, f.shop.address], [-ethers.parseEther("0.2"), ethers.parseEther("0.2")]);
      expect(await f.paymaster.spentOn(f.a.address, ethers.ZeroAddress, Number(f.day))).to.equal(ethers.parseEther("0.2"));
    });

    it("pays only allowlisted shops while the allowlist is on", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.paymaster.setShopAllowlistEnabled(true)).to.emit(f.paymaster, "ShopAllowlistEnabled").withArgs(true);
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(5))),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterShopNotAllowed", [f.shop.address]),
      );
      await expect(f.paymaster.setShopAllowed(f.shop.address, true)).to.emit(f.paymaster, "ShopAllowed").withArgs(f.shop.address, true);
      expect(await f.paymaster.isShopAllowed(f.shop.address)).to.equal(true);
      await expect(f.submit(await f.pay(f.shop.address, TUSD(5)))).to.changeTokenBalance(ethers, f.stablecoin, f.shop.address, TUSD(5));
    });
  });

  describe("calls the operator sponsors", function () {
    it("sponsors exactly the (target, selector) pairs listed, sending no ETH", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const approve = f.stablecoin.interface.encodeFunctionData("approve", [f.shop.address, 5n]);
      await f.refused(
        f.submit(await f.op([{ target: f.token, data: approve }])),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterCallNotSponsored", [f.token, approve.slice(0, 10), 0n]),
      );
      await expect(f.paymaster.setCallSponsored(f.token, approve.slice(0, 10), true))
        .to.emit(f.paymaster, "CallSponsored")
        .withArgs(f.token, approve.slice(0, 10), true);
      expect(await f.paymaster.isCallSponsored(f.token, approve.slice(0, 10))).to.equal(true);
      await (await f.submit(await f.op([{ target: f.token, data: approve }]))).wait();
      expect(await f.stablecoin.allowance(f.a.address, f.shop.address)).to.equal(5n);
      expect(await f.paymaster.operationsOn(f.a.address, Number(f.day))).to.equal(1n);
    });

    it("sponsors a call to the registry, whose revert reason reaches the bundler in the EntryPoint's event", async function () {
      // The call the operator lists for households: the registry's re-bind cancellation. With no request
      // pending (nonce 0 was never opened) the registry refuses it after the paymaster paid for it.
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const registry = await f.registry.getAddress();
      const data = f.registry.interface.encodeFunctionData("cancelRebind", [f.commitment, 0]);
      await f.paymaster.setCallSponsored(registry, data.slice(0, 10), true);
      const userOp = await f.op([{ target: registry, data }]);
      const tx = f.submit(userOp);
      await expect(tx)
        .to.emit(f.entryPoint, "UserOperationRevertReason")
        .withArgs(
          await f.entryPoint.getUserOpHash(userOp),
          f.a.address,
          0n,
          f.registry.interface.encodeErrorResult("AidRegistryRebindClosed", [f.commitment, 0, 0]),
        );
    });

    it("never lifts the cap on a token transfer, even if the operator lists `transfer` as a sponsored call", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await f.paymaster.setCallSponsored(f.token, transferData(f.shop.address, 1n).slice(0, 10), true);
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(61))),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterDailyCapExceeded", [f.a.address, f.token, TUSD(61), CAP]),
      );
    });
  });

  describe("refusals during validation", function () {
    it("a token the operator does not sponsor (HouseholdPaymasterTokenNotSponsored(token))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const other = await ethers.deployContract("TestStablecoin");
      await other.mint(f.a.address, TUSD(10));
      await f.refused(
        f.submit(await f.op([{ target: await other.getAddress(), data: transferData(f.shop.address, TUSD(1)) }])),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterTokenNotSponsored", [await other.getAddress()]),
      );
      await f.refused(
        f.submit(await f.op([{ target: f.shop.address, value: 1n }])),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterTokenNotSponsored", [ethers.ZeroAddress]),
      );
    });

    it("more than the account holds (HouseholdPaymasterInsufficientBalance(account, token, balance, amount))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await f.paymaster.setDailyCap(f.token, TUSD(1000));
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(101))),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterInsufficientBalance", [f.a.address, f.token, TUSD(100), TUSD(101)]),
      );
    });

    it("an account our factory did not create (HouseholdPaymasterNotHouseholdAccount(account))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const otherFactory = await ethers.deployContract("HouseholdAccountFactory", [await f.registry.getAddress()]);
      const bob = new Passkey("bob");
      await otherFactory.createAccount(bob.qx, bob.qy, ethers.ZeroHash);
      const sender = await otherFactory.accountAddress(bob.qx, bob.qy, ethers.ZeroHash);
      await bindHousehold(f, sender, "bob");
      await f.stablecoin.mint(sender, TUSD(10));
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(1), { sender, passkey: bob })),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterNotHouseholdAccount", [sender]),
      );
    });

    it("an account bound to no household (HouseholdPaymasterHouseholdNotBound(account))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const bob = new Passkey("bob");
      const b = await createAccount(f, bob);
      await f.stablecoin.mint(b.address, TUSD(10));
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(1), { sender: b.address, passkey: bob })),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterHouseholdNotBound", [b.address]),
      );
    });

    it("an operation that could cost more than the limit (HouseholdPaymasterCostTooHigh(maxCost, limit))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const maxFeePerGas = 100_000_000_000n;
      const userOp = await f.pay(f.shop.address, TUSD(1), { maxFeePerGas });
      // requiredPreFund: every gas limit (verification 500k, call 200k, paymaster 200k, postOp 0, pre-verification 60k) at the max fee.
      const maxCost = (500_000n + 200_000n + 200_000n + 0n + 60_000n) * maxFeePerGas;
      await f.refused(f.submit(userOp), f.paymaster.interface.encodeErrorResult("HouseholdPaymasterCostTooHigh", [maxCost, MAX_COST]));
    });

    it("paymaster data that is not a day number between 1 and the last 48-bit day (HouseholdPaymasterInvalidPaymasterData(data))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      // The last day whose last second fits 48 bits: its end, (day + 1) * 86400 - 1, is at most 2**48 - 1.
      const lastDay = (2n ** 48n - 1n) / DAY_SECONDS - 1n;
      for (const data of ["0x", "0x00000000", ethers.toBeHex(lastDay + 1n, 4), "0x0000000001"]) {
        await f.refused(
          f.submit(await f.op([{ target: f.token, data: transferData(f.shop.address, 1n) }], { paymasterData: data })),
          f.paymaster.interface.encodeErrorResult("HouseholdPaymasterInvalidPaymasterData", [data]),
        );
      }
    });

    it("an operation for a day before the household's latest sponsored day (HouseholdPaymasterDayPassed(day, lastDay))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await networkHelpers.time.increaseTo((f.day + 1n) * DAY_SECONDS + 60n);
      await (await f.submit(await f.pay(f.shop.address, TUSD(1), { day: f.day + 1n }))).wait();
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(1), { day: f.day })),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterDayPassed", [f.day, f.day + 1n]),
      );
    });

    it("more sponsored operations in a day than the limit (HouseholdPaymasterTooManyOperations(account, day, limit))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.paymaster.setLimits(MAX_COST, 2)).to.emit(f.paymaster, "LimitsSet").withArgs(MAX_COST, 2);
      expect(await f.paymaster.limits()).to.deep.equal([MAX_COST, 2n]);
      await (await f.submit(await f.pay(f.shop.address, TUSD(1)))).wait();
      await (await f.submit(await f.pay(f.shop.address, TUSD(1)))).wait();
      await f.refused(
        f.submit(await f.pay(f.shop.address, TUSD(1))),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterTooManyOperations", [f.a.address, f.day, 2]),
      );
    });

    it("call data that is not one default-mode ERC-7821 batch (HouseholdPaymasterUnsupportedCallData(selector))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const account = HouseholdAccount__factory.createInterface();
      const executionData = ethers.AbiCoder.defaultAbiCoder().encode(["tuple(address,uint256,bytes)[]"], [[[f.token, 0n, transferData(f.shop.address, 1n)]]]);
      const good = account.encodeFunctionData("execute", [BATCH_MODE, executionData]);
      const selector = good.slice(0, 10);
      const words = ethers.getBytes(good);
      /** `good` with the 32-byte word at argument offset `at` replaced by `value`. */
      const withWord = (at: number, value: bigint) => {
        const b = Uint8Array.from(words);
        b.set(ethers.getBytes(ethers.toBeHex(value, 32)), 4 + at);
        return ethers.hexlify(b);
      };
      const cases: [string, string][] = [
        ["0x12345678", "0x12345678"],
        [account.encodeFunctionData("execute", [ethers.ZeroHash, executionData]), selector],
        [selector + ethers.ZeroHash.slice(2), selector],
        [withWord(0x20, 1n << 20n), selector], // executionData's offset beyond the call data
        [withWord(0x40, 1n << 20n), selector], // executionData's length beyond the call data
      ];
      for (const [callData, expected] of cases) {
        const userOp = await signUserOp(
          f.entryPoint,
          packUserOp({ sender: f.a.address, nonce: await f.entryPoint.getNonce(f.a.address, 0n), callData, paymaster: await f.paymaster.getAddress(), paymasterData: dayData(f.day) }),
          f.alice,
        );
        await f.refused(f.submit(userOp), f.paymaster.interface.encodeErrorResult("HouseholdPaymasterUnsupportedCallData", [expected]));
      }
    });

    it("batch data ERC-7579 cannot decode (ERC7579DecodingError, as the account itself would raise)", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const callData = HouseholdAccount__factory.createInterface().encodeFunctionData("execute", [BATCH_MODE, "0x01"]);
      const userOp = await signUserOp(
        f.entryPoint,
        packUserOp({ sender: f.a.address, callData, paymaster: await f.paymaster.getAddress(), paymasterData: dayData(f.day) }),
        f.alice,
      );
      await f.refused(f.submit(userOp), f.paymaster.interface.encodeErrorResult("ERC7579DecodingError", []));
    });

    it("a batch of other than one call (HouseholdPaymasterNotOneCall(calls))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const transfer = { target: f.token, data: transferData(f.shop.address, 1n) };
      await f.refused(f.submit(await f.op([transfer, transfer])), f.paymaster.interface.encodeErrorResult("HouseholdPaymasterNotOneCall", [2n]));
      await f.refused(f.submit(await f.op([])), f.paymaster.interface.encodeErrorResult("HouseholdPaymasterNotOneCall", [0n]));
    });

    it("ETH sent with a call, or a transfer with trailing bytes (HouseholdPaymasterCallNotSponsored(target, selector, value))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const transfer = transferData(f.shop.address, 1n);
      await f.refused(
        f.submit(await f.op([{ target: f.token, value: 1n, data: transfer }])),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterCallNotSponsored", [f.token, transfer.slice(0, 10), 1n]),
      );
      await f.refused(
        f.submit(await f.op([{ target: f.token, data: transfer + "00" }])),
        f.paymaster.interface.encodeErrorResult("HouseholdPaymasterCallNotSponsored", [f.token, transfer.slice(0, 10), 0n]),
      );
    });

    it("anyone but the EntryPoint calling validatePaymasterUserOp or postOp (PaymasterUnauthorized(caller))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const userOp = await f.pay(f.shop.address, 1n);
      await expect(f.paymaster.connect(f.outsider).validatePaymasterUserOp(userOp, ethers.ZeroHash, 0n))
        .to.be.revertedWithCustomError(f.paymaster, "PaymasterUnauthorized")
        .withArgs(f.outsider.address);
      await expect(f.paymaster.connect(f.outsider).postOp(0, "0x", 0n, 0n))
        .to.be.revertedWithCustomError(f.paymaster, "PaymasterUnauthorized")
        .withArgs(f.outsider.address);
    });
  });

  describe("checkPayment (before signing)", function () {
    it("returns what is left of today's cap after the payment", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      expect(await f.paymaster.checkPayment(f.a.address, f.token, f.shop.address, TUSD(25))).to.equal(TUSD(35));
      await (await f.submit(await f.pay(f.shop.address, TUSD(25)))).wait();
      expect(await f.paymaster.checkPayment(f.a.address, f.token, f.shop.address, TUSD(5))).to.equal(TUSD(30));
    });

    it("raises the error validation would", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.paymaster.checkPayment(f.a.address, f.token, f.shop.address, TUSD(61)))
        .to.be.revertedWithCustomError(f.paymaster, "HouseholdPaymasterDailyCapExceeded")
        .withArgs(f.a.address, f.token, TUSD(61), CAP);
      await expect(f.paymaster.checkPayment(f.a.address, f.shop.address, f.shop.address, 1n))
        .to.be.revertedWithCustomError(f.paymaster, "HouseholdPaymasterTokenNotSponsored")
        .withArgs(f.shop.address);
      await expect(f.paymaster.checkPayment(f.outsider.address, f.token, f.shop.address, 1n))
        .to.be.revertedWithCustomError(f.paymaster, "HouseholdPaymasterNotHouseholdAccount")
        .withArgs(f.outsider.address);
      await f.paymaster.setLimits(MAX_COST, 0);
      await expect(f.paymaster.checkPayment(f.a.address, f.token, f.shop.address, 1n))
        .to.be.revertedWithCustomError(f.paymaster, "HouseholdPaymasterTooManyOperations")
        .withArgs(f.a.address, f.day, 0);
    });

    it("counts a lowered cap against what was already spent today (nothing left, not an underflow)", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await (await f.submit(await f.pay(f.shop.address, TUSD(50)))).wait();
      await f.paymaster.setDailyCap(f.token, TUSD(40));
      await expect(f.paymaster.checkPayment(f.a.address, f.token, f.shop.address, 1n))
        .to.be.revertedWithCustomError(f.paymaster, "HouseholdPaymasterDailyCapExceeded")
        .withArgs(f.a.address, f.token, 1n, 0n);
    });
  });

  describe("the operator", function () {
    it("alone sets what is sponsored (OwnableUnauthorizedAccount(caller))", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const pm = f.paymaster.connect(f.outsider);
      const calls = [
        () => pm.setDailyCap(f.token, 1n),
        () => pm.setShopAllowlistEnabled(true),
        () => pm.setShopAllowed(f.shop.address, true),
        () => pm.setCallSponsored(f.token, "0x095ea7b3", true),
        () => pm.setLimits(1n, 1),
        () => pm.withdraw(f.outsider.address, 1n),
        () => pm.addStake(86_400, { value: 1n }),
        () => pm.unlockStake(),
        () => pm.withdrawStake(f.outsider.address),
      ];
      for (const call of calls) {
        await expect(call()).to.be.revertedWithCustomError(f.paymaster, "OwnableUnauthorizedAccount").withArgs(f.outsider.address);
      }
    });

    it("reads its settings back", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      expect(await f.paymaster.dailyCap(f.token)).to.equal(CAP);
      expect(await f.paymaster.shopAllowlistEnabled()).to.equal(false);
      expect(await f.paymaster.factory()).to.equal(await f.accountFactory.getAddress());
      expect(await f.paymaster.registry()).to.equal(await f.registry.getAddress());
      expect(await f.paymaster.entryPoint()).to.equal(await f.entryPoint.getAddress());
      expect(await f.paymaster.owner()).to.equal(f.operator.address);
    });

    it("withdraws its deposit; anyone may add to it", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await f.paymaster.connect(f.outsider).deposit({ value: ethers.parseEther("0.5") });
      expect(await f.paymaster.getDeposit()).to.equal(ethers.parseEther("1.5"));
      await expect(f.paymaster.withdraw(f.operator.address, ethers.parseEther("1.5"))).to.changeEtherBalance(ethers, f.operator, ethers.parseEther("1.5"));
      expect(await f.paymaster.getDeposit()).to.equal(0n);
    });

    it("stakes, unlocks and withdraws its stake after the delay", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await f.paymaster.addStake(86_400, { value: ethers.parseEther("1") });
      let info = await f.entryPoint.getDepositInfo(await f.paymaster.getAddress());
      expect([info.staked, info.stake, info.unstakeDelaySec]).to.deep.equal([true, ethers.parseEther("1"), 86_400n]);
      await f.paymaster.unlockStake();
      await networkHelpers.time.increase(86_400);
      await expect(f.paymaster.withdrawStake(f.operator.address)).to.changeEtherBalance(ethers, f.operator, ethers.parseEther("1"));
      info = await f.entryPoint.getDepositInfo(await f.paymaster.getAddress());
      expect(info.stake).to.equal(0n);
    });

    it("hands the paymaster over in two steps (OwnershipTransferStarted, then OwnershipTransferred)", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      await expect(f.paymaster.transferOwnership(f.manager.address))
        .to.emit(f.paymaster, "OwnershipTransferStarted")
        .withArgs(f.operator.address, f.manager.address);
      await expect(f.paymaster.connect(f.manager).acceptOwnership())
        .to.emit(f.paymaster, "OwnershipTransferred")
        .withArgs(f.operator.address, f.manager.address);
    });

    it("cannot be deployed on dependencies that are not contracts, or with no operator", async function () {
      const f = await networkHelpers.loadFixture(sponsoredFixture);
      const Paymaster = await ethers.getContractFactory("HouseholdPaymaster");
      const factory = await f.accountFactory.getAddress();
      const registry = await f.registry.getAddress();
      await expect(Paymaster.deploy(f.operator.address, f.outsider.address, registry, MAX_COST, 20))
        .to.be.revertedWithCustomError(Paymaster, "HouseholdPaymasterInvalidDependency")
        .withArgs(f.outsider.address);
      await expect(Paymaster.deploy(f.operator.address, factory, f.outsider.address, MAX_COST, 20))
        .to.be.revertedWithCustomError(Paymaster, "HouseholdPaymasterInvalidDependency")
        .withArgs(f.outsider.address);
      await expect(Paymaster.deploy(ethers.ZeroAddress, factory, registry, MAX_COST, 20))
        .to.be.revertedWithCustomError(Paymaster, "OwnableInvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });
  });
});
