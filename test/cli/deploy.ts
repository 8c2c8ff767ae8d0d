/**
 * A deployment against a separately started node, exactly as a user deploys to a remote one:
 * `scripts/deploy.ts --network localhost` (with the URL pointed at a free port), parameters from
 * ignition/parameters/localhost.json, then the generated module.
 */
import { expect } from "chai";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Contract, JsonRpcProvider } from "ethers";
import { ROOT, freePort, runCli } from "./helpers/live.ts";

const HARDHAT_CLI = join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js");

describe("deploying to a separately started node (scripts/deploy.ts)", function () {
  this.timeout(60_000);
  let node: ChildProcess;
  let url: string;
  let provider: JsonRpcProvider;
  let deploymentId: string;
  // Inside the repository (git-ignored .devnet/), so the module loads as ESM like the real one.
  mkdirSync(join(ROOT, ".devnet"), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, ".devnet", "test-deploy-"));
  const out = join(outDir, "contracts.ts");

  before(async function () {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    deploymentId = `test-deploy-${port}`;
    node = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      let log = "";
      node.stdout!.on("data", (d) => {
        log += d;
        if (log.includes("Started HTTP")) resolve();
      });
      node.once("exit", (code) => reject(new Error(`hardhat node exited ${code}: ${log}`)));
    });
    provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
  });

  after(function () {
    provider?.destroy();
    node?.kill("SIGTERM");
    // A test deployment id, never chain-31337: a developer's devnet records stay untouched.
    rmSync(outDir, { recursive: true, force: true });
    if (deploymentId) rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("makes the CLIs refuse the node while nothing is deployed on it (exit 1)", async function () {
    const run = await runCli("audit", ["--rpc-url", url, "--out-dir", outDir]);
    expect(run.code).to.equal(1);
    // Either the module knows chain 31337's addresses from an earlier devnet (and finds no code there on
    // this fresh node), or, in a clean clone, it knows none: both must refuse before reading anything.
    expect(run.stderr).to.match(
      /AidRegistry has no code at 0x[0-9a-fA-F]{40} on chain 31337|No PrecisionAid deployment is known for chain 31337/,
    );
  });

  it("deploys with the network's parameters file and writes a module with the deployed addresses", async function () {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [join(ROOT, "scripts", "deploy.ts"), "--network", "localhost", "--rpc-url", url, "--deployment-id", deploymentId, "--out", out],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.code, run.stderr).to.equal(0);

    const recorded = JSON.parse(readFileSync(join(ROOT, "ignition", "deployments", deploymentId, "deployed_addresses.json"), "utf8"));
    const generated = await import(`${out}?t=${Date.now()}`);
    const d = generated.deployments["31337"];
    expect(d.contracts.AidRegistry.address).to.equal(recorded["PrecisionAid#AidRegistry"]);
    expect(d.contracts.AidEscrow.address).to.equal(recorded["PrecisionAid#AidEscrow"]);
    expect(d.contracts.AidRosterFactory.address).to.equal(recorded["PrecisionAidRoster#AidRosterFactory"]);
    expect(d.contracts.TestStablecoin).to.equal(undefined); // not without --with-stablecoin

    const params = JSON.parse(readFileSync(join(ROOT, "ignition", "parameters", "localhost.json"), "utf8")).PrecisionAid;
    const registry = new Contract(d.contracts.AidRegistry.address, generated.aidRegistryAbi, provider);
    expect(await registry.defaultAdmin()).to.equal(params.admin);
    expect(await registry.defaultAdminDelay()).to.equal(BigInt(params.adminTransferDelay));
    const [threshold, delay] = await registry.rebindPolicy();
    expect([Number(threshold), Number(delay)]).to.deep.equal([params.rebindThreshold, params.rebindDelay]);
    const escrow = new Contract(d.contracts.AidEscrow.address, generated.aidEscrowAbi, provider);
    expect(await escrow.registry()).to.equal(d.contracts.AidRegistry.address);
    // The roster factory trusts the same registry and escrow, not copies of its own.
    const factory = new Contract(d.contracts.AidRosterFactory.address, generated.aidRosterFactoryAbi, provider);
    expect(await factory.registry()).to.equal(d.contracts.AidRegistry.address);
    expect(await factory.escrow()).to.equal(d.contracts.AidEscrow.address);
  });
});
