/**
 * The house rule "every custom error and every event is tested, with its arguments" for the roster
 * contracts (the shared test/AbiCoverage.ts covers the registry and the escrow): each error and event in
 * their ABIs must be named in an assertion somewhere in the tests.
 */
import { expect } from "chai";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { artifacts } from "hardhat";

const ROSTER_CONTRACTS = ["AidRosterProgramme", "AidRosterFactory"];

// ABI entries inherited from OpenZeppelin that the roster can never emit or raise, with the reason.
const UNREACHABLE: Record<string, string> = {
  EIP712DomainChanged: "the programme's EIP-712 domain never changes",
  InvalidShortString: "the EIP-712 name and version are short constants",
  StringTooLong: "the EIP-712 name and version are short constants",
  // SafeCast to uint128 (raised, refunded): bounded by the token's supply; no ETH or stablecoin amount
  // reaches 2**128.
  SafeCastOverflowedUintDowncast: "no donation total reaches 2**128 units",
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

describe("ABI coverage of the roster tests", function () {
  for (const name of ROSTER_CONTRACTS) {
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
            // revert data recorded by a reentrant contract and compared with the encoded error
            !new RegExp(`encodeErrorResult\\(\\s*["'\`]${e}["'\`]`).test(testSources),
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
