/**
 * ERC-4337 EntryPoint v0.8, the one version PrecisionAid uses (docs/DECISIONS.md, "EntryPoint version"):
 * the released `@account-abstraction/contracts` 0.8.0 npm artifact, deployed exactly as on public chains,
 * through the deterministic deployer with the canonical salt, so it lands at the canonical address that
 * HouseholdAccount and HouseholdPaymaster hard-code (OpenZeppelin's ERC4337Utils.ENTRYPOINT_V08).
 *
 * Shared by the tests and the devnet. Idempotent: returns at once when the EntryPoint is already there
 * (every public chain; a devnet restarted from its state). On a local node without the deterministic
 * deployer, it installs the deployer's runtime code with `hardhat_setCode` first (the deployer has no
 * constructor or immutables, so its runtime code is all it is; the EntryPoint has immutables, so it must
 * really be deployed).
 */
import { createRequire } from "node:module";

/** EntryPoint v0.8's canonical address. */
export const ENTRYPOINT_V08 = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";
/** The deterministic deployment proxy (CREATE2 with the first 32 bytes of calldata as salt). */
export const DETERMINISTIC_DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
const DETERMINISTIC_DEPLOYER_CODE =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
/** The salt the account-abstraction team deployed v0.8 with. */
const ENTRYPOINT_V08_SALT = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";
/** About 5.0M gas is used; osaka caps a transaction at 16,777,216 (EIP-7825). */
const DEPLOY_GAS = 6_000_000;

const artifact: { abi: unknown[]; bytecode: string } = createRequire(import.meta.url)(
  "@account-abstraction/contracts/artifacts/EntryPoint.json",
);
/** The EntryPoint's ABI, from the same npm artifact. */
export const ENTRYPOINT_V08_ABI = artifact.abi;

/** Any EIP-1193 provider: Hardhat's `connection.provider`, viem's transport, a browser wallet's. */
export interface Eip1193 {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

async function hasCode(provider: Eip1193, address: string): Promise<boolean> {
  const code = (await provider.request({ method: "eth_getCode", params: [address, "latest"] })) as string;
  return code !== "0x" && code !== "0x0";
}

async function receiptOf(provider: Eip1193, hash: string): Promise<{ status: string }> {
  for (let i = 0; i < 600; i++) {
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as { status: string } | null;
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`EntryPoint v0.8 deployment ${hash} was not mined within a minute`);
}

/**
 * Makes sure EntryPoint v0.8 is deployed at ENTRYPOINT_V08 and returns that address.
 * @param from the account that pays for the deployment (default: the node's first account)
 */
export async function ensureEntryPointV08(provider: Eip1193, from?: string): Promise<string> {
  if (await hasCode(provider, ENTRYPOINT_V08)) return ENTRYPOINT_V08;
  if (!(await hasCode(provider, DETERMINISTIC_DEPLOYER))) {
    try {
      await provider.request({ method: "hardhat_setCode", params: [DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_CODE] });
    } catch (e) {
      throw new Error(
        `no deterministic deployer at ${DETERMINISTIC_DEPLOYER} on this chain, and the node cannot set code ` +
          `(${(e as Error).message}); deploy the deployer first, then run this again`,
      );
    }
  }
  const sender = from ?? ((await provider.request({ method: "eth_accounts" })) as string[])[0];
  const hash = (await provider.request({
    method: "eth_sendTransaction",
    params: [
      {
        from: sender,
        to: DETERMINISTIC_DEPLOYER,
        data: ENTRYPOINT_V08_SALT + artifact.bytecode.slice(2),
        gas: `0x${DEPLOY_GAS.toString(16)}`,
      },
    ],
  })) as string;
  const receipt = await receiptOf(provider, hash);
  if (receipt.status !== "0x1" || !(await hasCode(provider, ENTRYPOINT_V08))) {
    throw new Error(`EntryPoint v0.8 deployment ${hash} did not put code at ${ENTRYPOINT_V08} (status ${receipt.status})`);
  }
  return ENTRYPOINT_V08;
}
