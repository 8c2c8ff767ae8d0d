/**
 * The house rule "every custom error and every event is tested, with its arguments" as a test: each
 * error and event in the product contracts' ABIs (registry, escrow, roster programme and its factory, the
 * two linked libraries that run the escrow's and the programmes' governance on their storage, household
 * accounts, their factory and their paymaster)
 * must be named in an assertion somewhere in the tests (a chai `revertedWithCustomError(..., "Name")` /
 * `emit(..., "Name")`, a Solidity `Name.selector`, or revert data decoded or encoded by hand).
 */
import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { artifacts } from "hardhat";

const SHORT_EIP712 = "the EIP-712 name and version are short constants";

// Per product contract: ABI entries inherited from OpenZeppelin that it can never emit or raise, with the reason.
const PRODUCT_CONTRACTS: Record<string, Record<string, string>> = {
  AidRegistry: {
    // AccessControl: emitted only by _setRoleAdmin, which the registry never calls (every role's admin
    // is the default admin, fixed by AccessControlDefaultAdminRules).
    RoleAdminChanged: "no role's admin is ever changed",
    EIP712DomainChanged: "the registry's EIP-712 domain never changes",
    InvalidShortString: SHORT_EIP712,
    StringTooLong: SHORT_EIP712,
  },
  AidEscrow: {
    // IERC5267: emitted only when the EIP-712 domain changes; ours is fixed at construction.
    EIP712DomainChanged: "the escrow's EIP-712 domain never changes",
    // ShortStrings (inside EIP712): raised only for a name or version over 31 bytes; ours are constants.
    InvalidShortString: SHORT_EIP712,
    StringTooLong: SHORT_EIP712,
    // Address.sendValue: raised only if the escrow holds less ETH than it pays, which conservation
    // (raised = claimed + refunded + held, proven by the invariant tests) rules out.
    InsufficientBalance: "conservation keeps the escrow's balance above every payment",
  },
  AidRosterProgramme: {
    EIP712DomainChanged: "the programme's EIP-712 domain never changes",
    InvalidShortString: SHORT_EIP712,
    StringTooLong: SHORT_EIP712,
    // SafeCast to uint128 (raised, refunded): bounded by the token's supply; no ETH or stablecoin amount
    // reaches 2**128.
    SafeCastOverflowedUintDowncast: "no donation total reaches 2**128 units",
  },
  AidRosterFactory: {},
  // The linked libraries raise and emit on behalf of their contract (DELEGATECALL): their ABIs list a subset of
  // the contract's, each asserted through the contract.
  AidEscrowGovernance: {},
  AidRosterGovernance: {
    SafeCastOverflowedUintDowncast: "no donation or refund total reaches 2**128 units",
  },
  HouseholdAccount: {
    EIP712DomainChanged: "the account's EIP-712 domain never changes",
    InvalidShortString: SHORT_EIP712,
    StringTooLong: SHORT_EIP712,
    // SignerP256's constructor runs once, for the implementation, with a constant valid point
    // (test/account/Factory.ts recomputes it); clones have no constructor.
    SignerP256InvalidPublicKey: "the implementation's key is a constant valid point",
    // ERC7579Utils: the account runs only the default batch mode (ERC7821.supportsExecutionMode), never "try".
    ERC7579UnsupportedExecType: "only the default execution type is ever run",
    ERC7579TryExecuteFail: "only the default execution type is ever run",
    // Address.sendValue in moveToSuccessor sends the account's own whole balance.
    InsufficientBalance: "moveToSuccessor sends exactly the balance the account holds",
    // Packing (inside ERC4337Utils): raised only for offsets past a word; every offset used is a constant.
    OutOfRangeAccess: "ERC4337Utils packs at constant offsets",
  },
  HouseholdAccountFactory: {
    // Clones and Create2: the arguments are always three words, the bytecode never empty, no value sent,
    // and createAccount deploys only where no code is (so CREATE2 never collides).
    CloneArgumentsTooLong: "the clone arguments are always 96 bytes",
    Create2EmptyBytecode: "the clone's bytecode is never empty",
    InsufficientBalance: "accounts are created with no value",
    FailedDeployment: "createAccount deploys only at an address without code",
  },
  HouseholdPaymaster: {},
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|sol)$/.test(name) ? [full] : [];
  });
}

const testSources = filesUnder("test")
  .filter((f) => !f.endsWith("AbiCoverage.ts"))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");

const asserted = {
  error: (e: string) =>
    new RegExp(`revertedWithCustomError\\([^)]*["'\`]${e}["'\`]`, "s").test(testSources) ||
    new RegExp(`\\b${e}\\.selector`).test(testSources) ||
    // revert data decoded by hand (e.g. a reentrant contract's recorded failure) or compared with the encoded error
    new RegExp(`(getError|encodeErrorResult)\\(\\s*["'\`]${e}["'\`]`).test(testSources),
  event: (e: string) => new RegExp(`\\.emit\\([^)]*["'\`]${e}["'\`]`, "s").test(testSources),
};

describe("ABI coverage of the tests", function () {
  for (const [name, unreachable] of Object.entries(PRODUCT_CONTRACTS)) {
    describe(name, function () {
      let abi: readonly { type: string; name?: string }[];
      before(async function () {
        abi = (await artifacts.readArtifact(name)).abi;
      });
      const entries = (type: string) => abi.filter((item) => item.type === type).map((e) => e.name as string);

      it("has every custom error asserted by a test", function () {
        const errors = entries("error");
        expect(errors.length).to.be.greaterThan(0);
        const untested = errors.filter((e) => !(e in unreachable) && !asserted.error(e));
        expect(untested, `errors never asserted: ${untested.join(", ")}`).to.deep.equal([]);
      });

      it("has every event asserted by a test", function () {
        const untested = entries("event").filter((e) => !(e in unreachable) && !asserted.event(e));
        expect(untested, `events never asserted: ${untested.join(", ")}`).to.deep.equal([]);
      });

      it("lists as unreachable only entries its ABI has", function () {
        const inAbi = new Set([...entries("error"), ...entries("event")]);
        expect(Object.keys(unreachable).filter((e) => !inAbi.has(e))).to.deep.equal([]);
      });
    });
  }
});
