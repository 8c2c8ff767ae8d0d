import { createRequire } from "node:module";
import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";
import quietDependencyWarnings from "./scripts/hardhat-plugins/quiet-dependency-warnings/index.ts";

// Hardhat cannot download solc on this network; the npm `solc` package (pinned to the same version)
// ships the WASM build, so compiles never leave the machine.
const SOLC_VERSION = "0.8.34";
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

/**
 * The one EVM target (docs/DECISIONS.md, "EVM target"): the compiler's evmVersion and the hardfork of every
 * simulated network that runs our tests, the devnet and the benchmarks. Osaka is Hardhat 3.18's default L1
 * hardfork and brings the P-256 precompile (EIP-7951) that household passkey accounts verify with; the L2s
 * have it at the same address (RIP-7212). solc emits the same code for our contracts on osaka as on
 * cancun (compared when chosen; `npm run bench` runs this build on prague every time), so they still
 * deploy where Osaka has not arrived. Unnamed networks ignore `networks.hardhat.hardfork`, so `default`
 * and `node` are set too.
 */
export const EVM_TARGET = "osaka";
/** A chain without the P-256 precompile: the benchmarks measure OpenZeppelin's Solidity fallback on it. */
export const NO_P256_HARDFORK = "prague";

const compiler = {
  version: SOLC_VERSION,
  path: soljson,
  settings: {
    evmVersion: EVM_TARGET,
    optimizer: { enabled: true, runs: 200 },
  },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin, quietDependencyWarnings],
  solidity: {
    // The registry's admin timelock is OpenZeppelin's own TimelockController, deployed from its
    // artifact by ignition/modules/PrecisionAid.ts (docs/DECISIONS.md, "Admin timelock").
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
    profiles: {
      default: compiler,
      production: compiler,
    },
  },
  paths: {
    tests: { solidity: "test/solidity", mocha: "test" },
  },
  test: {
    solidity: {
      profiles: {
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 64, depth: 50, failOnRevert: false },
        },
        // Selected by `--test-profile ci` (npm test under CI=true): the depth the issue asks for.
        ci: {
          fuzz: { runs: 512 },
          invariant: { runs: 256, depth: 100, failOnRevert: false },
        },
      },
    },
  },
  networks: {
    // `network.create()` with no name (every TS test) and `hardhat test solidity --network default`.
    default: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: EVM_TARGET,
    },
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: EVM_TARGET,
    },
    // `hardhat node` (the devnet) when no --network is given.
    node: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: EVM_TARGET,
    },
    noP256: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: NO_P256_HARDFORK,
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
