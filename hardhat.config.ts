import { createRequire } from "node:module";
import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// Hardhat cannot download solc on this network; the npm `solc` package (pinned to the same version)
// ships the WASM build, so compiles never leave the machine.
const SOLC_VERSION = "0.8.34";
const soljson = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = {
  version: SOLC_VERSION,
  path: soljson,
  settings: {
    // cancun: transient storage (ReentrancyGuardTransient) on every L2 we target.
    evmVersion: "cancun",
    optimizer: { enabled: true, runs: 200 },
  },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
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
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      hardfork: "cancun",
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
