import { expect } from "chai";
import { AbiCoder, Interface, ZeroAddress, id } from "ethers";
import { ensureGeneratedContracts } from "../../lib/ensure-generated.ts";
import { deployProtocol, networkHelpers, createProject, identifyHousehold, INCOME } from "../helpers/fixtures.ts";

await ensureGeneratedContracts();
const { ERROR_MESSAGES, KNOWN_ABIS, decodeRevert, explainError, knownErrorNames } = await import("../../lib/errors.ts");

/** A plausible value for each ABI type, so every sentence can be rendered from real encoded data. */
function sample(type: string): unknown {
  if (type.endsWith("[]")) return [];
  if (type === "address") return "0x00000000000000000000000000000000000000A1";
  if (type === "bool") return true;
  if (type === "string") return "sample";
  if (type.startsWith("bytes32")) return id("sample");
  if (type.startsWith("bytes")) return "0x1234";
  if (type.startsWith("uint") || type.startsWith("int")) return 1;
  throw new Error(`no sample for ${type}`);
}

describe("error sentences (lib/errors.ts)", function () {
  describe("coverage of the ABIs", function () {
    it("has a sentence for every custom error of AidRegistry, AidEscrow and TestStablecoin", function () {
      const missing = knownErrorNames().filter((name) => !(name in ERROR_MESSAGES));
      expect(missing, `errors without a sentence: ${missing.join(", ")}`).to.deep.equal([]);
    });

    it("has no sentence for an error that no longer exists", function () {
      const known = new Set(knownErrorNames());
      expect(Object.keys(ERROR_MESSAGES).filter((n) => !known.has(n))).to.deep.equal([]);
    });

    it("renders every error from its encoded data without undefined or raw objects", function () {
      for (const abi of KNOWN_ABIS) {
        const iface = new Interface(abi as never);
        iface.forEachError((fragment) => {
          const data = iface.encodeErrorResult(fragment, fragment.inputs.map((i) => sample(i.type)));
          const decoded = decodeRevert(data);
          expect(decoded?.name, fragment.format()).to.equal(fragment.name);
          expect(decoded!.message, fragment.format()).to.match(/^[A-Z0-9"].*[.)]$/);
          expect(decoded!.message, fragment.format()).not.to.match(/undefined|\[object|NaN/);
        });
      }
    });
  });

  describe("with real reverts from the contracts", function () {
    it("explains a non-official attesting", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const tx = p.registry.connect(p.outsider).attest(id("hh"), INCOME, 4_000_000_000, id("e"), 1);
      const err = await tx.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(explainError(err)).to.equal(`${p.outsider.address} is not a current official.`);
    });

    it("explains enrolling a household twice, with its status", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const { projectId, terms } = await createProject(p);
      await p.escrow.connect(p.donors[0]).donate(projectId, { value: 3n * BigInt(terms.amountPerTranche) });
      const hh = await identifyHousehold(p, p.households[0], "ID-1");
      await p.escrow.connect(p.officials[0]).enrol(projectId, hh.commitment, hh.attesters);
      const err = await p.escrow
        .connect(p.officials[0])
        .enrol(projectId, hh.commitment, hh.attesters)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(explainError(err)).to.equal(
        `Household ${hh.commitment.slice(0, 10)}…${hh.commitment.slice(-4)} cannot be enrolled in project ${projectId}: it is Enrolled.`,
      );
    });

    it("explains an unknown project and a wrong token", async function () {
      const p = await networkHelpers.loadFixture(deployProtocol);
      const unknown = await p.escrow
        .connect(p.donors[0])
        .donate(99, { value: 1 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(explainError(unknown)).to.equal("There is no project 99.");
      const { projectId } = await createProject(p);
      const wrong = await p.escrow
        .connect(p.donors[0])
        .donateToken(projectId, 1)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(explainError(wrong)).to.equal(
        `Wrong currency for project ${projectId}: ETH projects take ETH through donate(), token projects their ERC-20 through donateToken().`,
      );
    });

    it("decodes Panic and Error(string) too", function () {
      const coder = AbiCoder.defaultAbiCoder();
      expect(decodeRevert("0x4e487b71" + coder.encode(["uint256"], [0x11]).slice(2))?.message).to.equal(
        "The contract stopped: an arithmetic operation overflowed.",
      );
      expect(decodeRevert("0x08c379a0" + coder.encode(["string"], ["nope"]).slice(2))?.message).to.equal("Reverted: nope");
      expect(ZeroAddress).to.equal("0x" + "0".repeat(40));
    });
  });
});
