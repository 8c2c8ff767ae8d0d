/** The Hardhat plugin that keeps dependencies' compiler warnings out of the build output (issue 9, operators). */
import { expect } from "chai";
import { isDependencyWarning } from "../../scripts/hardhat-plugins/quiet-dependency-warnings/solidity.ts";

describe("quiet dependency warnings (Hardhat plugin)", function () {
  const warning = (file: string, formatted = `Warning: something\n   --> ${file}:1:1:\n`) => ({ severity: "warning", sourceLocation: { file }, formattedMessage: formatted });

  it("drops a warning located in an npm package's source", function () {
    expect(isDependencyWarning(warning("npm/@openzeppelin/contracts@5.7.0/utils/TransientSlot.sol"))).to.equal(true);
    // As Hardhat remaps it for display, without the source name.
    expect(isDependencyWarning({ severity: "warning", formattedMessage: "Warning: x\n   --> ./node_modules/@openzeppelin/contracts/utils/TransientSlot.sol:108:13:\n" })).to.equal(true);
  });

  it("keeps warnings about our own contracts, and every error wherever it is", function () {
    expect(isDependencyWarning(warning("project/contracts/AidEscrow.sol", "Warning: x\n   --> contracts/AidEscrow.sol:1:1:\n"))).to.equal(false);
    expect(isDependencyWarning({ ...warning("npm/@openzeppelin/contracts@5.7.0/utils/TransientSlot.sol"), severity: "error" })).to.equal(false);
  });
});
