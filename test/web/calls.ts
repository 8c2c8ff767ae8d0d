/**
 * The typed write path (lib/chain/calls.ts, hooks/useWrite.ts): calls are checked against the generated
 * `as const` ABIs at compile time. The `@ts-expect-error` lines are part of the test: `npm test`'s type
 * check fails if any of them stops being an error (a misspelled function, wrong arguments, a value sent
 * to a function that is not payable would then compile again).
 */
import { expect } from "chai";
import { decodeFunctionData, encodeFunctionData, type Address } from "viem";
import { contractView, contractWrite } from "../../lib/chain/calls.ts";
import { aidEscrowAbi } from "../../lib/generated/aidEscrow.ts";
import { aidRosterProgrammeAbi } from "../../lib/generated/aidRosterProgramme.ts";
import { testStablecoinAbi } from "../../lib/generated/testStablecoin.ts";
import type { useWrite } from "../../hooks/useWrite.ts";

const escrow: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

/** Never called: only compiled. Each expected error is a mistake the type check must catch. */
export function compileTimeChecks(write: ReturnType<typeof useWrite>["write"]) {
  // @ts-expect-error a function the escrow does not have
  contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donat", args: [1n], value: 1n });
  // @ts-expect-error donateToken takes (projectId, amount), not a string amount
  contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateToken", args: [1n, "100"] });
  // @ts-expect-error donateToken is not payable: no value
  contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateToken", args: [1n, 100n], value: 1n });
  // @ts-expect-error a view is not a write
  contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "refundableOf", args: [1n, escrow] });
  // @ts-expect-error a write is not a view
  contractView({ address: escrow, abi: aidEscrowAbi, functionName: "refund", args: [1n] });
  // @ts-expect-error the write path checks the same way: ruleOnObjection needs the attesters too
  void write({ address: escrow, abi: aidEscrowAbi, functionName: "ruleOnObjection", args: [1n, `0x${"00".repeat(32)}`, true] });
  // @ts-expect-error and names
  void write({ address: escrow, abi: aidRosterProgrammeAbi, functionName: "claimm", args: [] });
  // Correct calls compile, with or without arguments.
  void write({ address: escrow, abi: aidRosterProgrammeAbi, functionName: "invalidateClaimSignatures" });
  void write({ address: escrow, abi: aidEscrowAbi, functionName: "donate", args: [4n, 1n], value: 10n ** 18n });
}

describe("typed contract calls (lib/chain/calls.ts)", function () {
  it("keep the request as built, so it encodes to the call the ABI describes", function () {
    const w = contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donate", args: [4n, 1n], value: 5n });
    expect(w).to.include({ address: escrow, functionName: "donate", value: 5n });
    const data = encodeFunctionData({ abi: w.abi, functionName: w.functionName, args: w.args });
    const back = decodeFunctionData({ abi: aidEscrowAbi, data });
    expect(back.functionName).to.equal("donate");
    expect(back.args).to.deep.equal([4n, 1n]);
  });
  it("build views and argument-less writes", function () {
    const v = contractView({ address: escrow, abi: testStablecoinAbi, functionName: "balanceOf", args: [escrow] });
    expect(v.args).to.deep.equal([escrow]);
    const r = contractWrite({ address: escrow, abi: aidRosterProgrammeAbi, functionName: "refund" });
    expect(r.args).to.equal(undefined);
    expect(encodeFunctionData({ abi: r.abi, functionName: r.functionName })).to.match(/^0x[0-9a-f]{8}$/);
  });
});
