/**
 * The house rule "every custom error and every event is tested, with its arguments" as a test: each
 * error and event in the product contracts' ABIs must be named in an assertion somewhere in the tests
 * (a chai `revertedWithCustomError(..., "Name")` / `emit(..., "Name")`, or a Solidity `Name.selector`).
 */
import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { artifacts } from "hardhat";

const PRODUCT_CONTRACTS = ["AidRegistry", "AidEscrow"];

// ABI entries inherited from OpenZeppelin that our contracts can never emit or raise, with the reason.
const UNREACHABLE: Record<string, string> = {
  // IERC5267: emitted only when the EIP-712 domain changes; ours is fixed at construction.
  EIP712DomainChanged: "the escrow's EIP-712 domain never changes",
  // AccessControl: emitted only by _setRoleAdmin, which neither contract calls (every role's admin is
  // the default admin, fixed by AccessControlDefaultAdminRules).
  RoleAdminChanged: "no role's admin is ever changed",
  // ShortStrings (inside EIP712): raised only for a name or version over 31 bytes; ours are constants.
  InvalidShortString: "the EIP-712 name and version are short constants",
  StringTooLong: "the EIP-712 name and version are short constants",
  // Address.sendValue: raised only if the escrow holds less ETH than it pays, which conservation
  // (raised = claimed + refunded + held, proven by the invariant tests) rules out.
  InsufficientBalance: "conservation keeps the escrow's balance above every payment",
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

describe("ABI coverage of the tests", function () {
  for (const name of PRODUCT_CONTRACTS) {
    describe(name, function () {
      it("has every custom error asserted by a test", async function () {
        const { abi } = await artifacts.readArtifact(name);
        const errors = abi.filter((item: { type: string }) => item.type === "error").map((e: { name: string }) => e.name);
        expect(errors.length).to.be.greaterThan(0);
        const untested = errors.filter(
          (e: string) =>
            !(e in UNREACHABLE) &&
            !new RegExp(`revertedWithCustomError\\([^)]*["'\`]${e}["'\`]`, "s").test(testSources) &&
            !new RegExp(`\\b${e}\\.selector`).test(testSources) &&
            // revert data decoded by hand (e.g. a reentrant contract's recorded failure)
            !new RegExp(`getError\\(\\s*["'\`]${e}["'\`]`).test(testSources),
        );
        expect(untested, `errors never asserted: ${untested.join(", ")}`).to.deep.equal([]);
      });

      it("has every event asserted by a test", async function () {
        const { abi } = await artifacts.readArtifact(name);
        const events = abi.filter((item: { type: string }) => item.type === "event").map((e: { name: string }) => e.name);
        const untested = events.filter(
          (e: string) => !(e in UNREACHABLE) && !new RegExp(`\\.emit\\([^)]*["'\`]${e}["'\`]`, "s").test(testSources),
        );
        expect(untested, `events never asserted: ${untested.join(", ")}`).to.deep.equal([]);
      });
    });
  }
});
