/**
 * One EVM target for the compiler, the tests, the devnet and the benchmarks (docs/DECISIONS.md, "EVM
 * target"). Fails if the compiler's evmVersion and the networks' hardfork drift apart, and checks that the
 * chains really are what the config says: the test chain has the P-256 precompile (EIP-7951) the target
 * promises, and the benchmarks' `noP256` chain has not (so its rows measure OpenZeppelin's fallback).
 * The Solidity tests' chain is checked by test/solidity/account/EvmTarget.t.sol.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import { EVM_TARGET, NO_P256_HARDFORK } from "../../hardhat.config.ts";
import { connection } from "../helpers/fixtures.ts";

const P256_VERIFY = "0x0000000000000000000000000000000000000100";
// sha256("PrecisionAid: the P-256 precompile answers"), its signature (r, s) and the public key (x, y).
const VECTOR =
  "0xa761970d77b56879c51be160836ddc6b8b9776247962d2f57f7dbb6b6370afd9" +
  "303a81995b516386381f2255d8b8760b6d7edb91ca1a69cd9ef3d5fa85fd08a1" +
  "7db3a76435d642e99d8424680042cc7a74002f1f5eca446e159d0de2aa426565" +
  "ea5caf82b7003e3aeeba9f96bba15a7ba47e5bfdd73d8bbddf3a6cb734f46917" +
  "d75f41f3ad6739af0f30e66145686da8533b25136b7bf30c92108cf1dcbcb5eb";
const ONE = "0x" + "1".padStart(64, "0");

type Provider = { request(a: { method: string; params?: unknown[] }): Promise<unknown> };
const p256Verify = (provider: Provider) =>
  provider.request({ method: "eth_call", params: [{ to: P256_VERIFY, data: VECTOR }, "latest"] });

describe("The EVM target", function () {
  it("is osaka, whose P-256 precompile passkey accounts verify with", function () {
    expect(EVM_TARGET).to.equal("osaka");
  });

  it("is what every compiler profile compiles for", function () {
    const profiles = Object.entries(hre.config.solidity.profiles);
    expect(profiles.length).to.be.greaterThan(0);
    for (const [name, profile] of profiles) {
      for (const compiler of [...profile.compilers, ...Object.values(profile.overrides)]) {
        expect(compiler.settings.evmVersion, `solidity profile ${name}`).to.equal(EVM_TARGET);
      }
    }
  });

  it("is the hardfork of the default network (every unnamed test connection), `hardhat` and the devnet's `node`", function () {
    for (const name of ["default", "hardhat", "node"]) {
      const config = hre.config.networks[name];
      expect(config.type, name).to.equal("edr-simulated");
      expect(config.type === "edr-simulated" && config.hardfork, name).to.equal(EVM_TARGET);
    }
  });

  it("is the hardfork the tests' own connection runs on", function () {
    expect(connection.networkName).to.equal("default");
    expect(connection.networkConfig.type === "edr-simulated" && connection.networkConfig.hardfork).to.equal(EVM_TARGET);
  });

  it("gives the test chain the P-256 precompile: a valid signature verifies", async function () {
    expect(await p256Verify(connection.provider)).to.equal(ONE);
  });

  it("is not the hardfork of `noP256`, which has no precompile (the benchmarks' fallback rows)", async function () {
    expect(NO_P256_HARDFORK).to.not.equal(EVM_TARGET);
    const fallback = await network.create({ network: "noP256" });
    try {
      expect(fallback.networkConfig.type === "edr-simulated" && fallback.networkConfig.hardfork).to.equal(NO_P256_HARDFORK);
      expect(await p256Verify(fallback.provider)).to.equal("0x");
    } finally {
      await fallback.close();
    }
  });
});
