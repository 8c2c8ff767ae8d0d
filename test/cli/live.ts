/**
 * The devnet and the CLIs against a live node, as users run them: `scripts/devnet.ts` is started on a free
 * port (not 8545, so a developer's own devnet is undisturbed; the deterministic deploy writes the same
 * addresses), then every CLI runs as a child process against it. The last test presses Ctrl-C.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, HDNodeWallet, Interface, JsonRpcProvider, getAddress, id, keccak256, parseEther, parseUnits, zeroPadValue } from "ethers";
import { ensureGeneratedContracts } from "../../lib/chain/ensure-generated.ts";
import { createPublicClient, http as viemHttp } from "viem";
import type { Scenario } from "../../scripts/devnet/seed.ts";
import { householdCommitment } from "../../lib/registry/household.ts";
import { DEV_MNEMONIC } from "../../scripts/devnet/node.ts";
import { ROOT, type Devnet, isAlive, runCli, runCliUntil, startDevnet, stopDevnet } from "./helpers/live.ts";

await ensureGeneratedContracts();
const { aidEscrowAbi, aidRegistryAbi } = await import("../../lib/chain/contracts.ts");
const { readDeployments } = await import("../../lib/chain/codegen.ts");

/** The devnet's deployment as it just wrote it (a clean clone has none before the devnet starts). */
function liveDeployment() {
  const d = readDeployments().find((c) => c.chainId === 31337);
  const registry = d?.contracts.AidRegistry?.address;
  const escrow = d?.contracts.AidEscrow?.address;
  if (!d || !registry || !escrow) throw new Error("the devnet wrote no chain-31337 deployment");
  return { ...d, registry, escrow };
}
const { auditChain, fetchEvents } = await import("../../lib/escrow/audit.ts");

const scenario: Scenario = JSON.parse(readFileSync(join(ROOT, "demo", "scenario.json"), "utf8"));
const commitment = (key: string) => householdCommitment(scenario.households[key].idNumber, scenario.households[key].salt);
const PROJECT = { Funding: 1n, Active: 2n, Cancelled: 3n };
const ENROLMENT = { Enrolled: 1n, Objected: 2n, Exited: 4n };
const tmp = mkdtempSync(join(tmpdir(), "precisionaid-cli-"));
const EV = id("evidence");

describe("devnet and command-line tools on a live node", function () {
  this.timeout(60_000);
  let devnet: Devnet;
  let provider: JsonRpcProvider;
  let accounts: string[];
  let escrow: Contract;
  let registry: Contract;
  let deployment: ReturnType<typeof liveDeployment>;
  const rpc = () => ["--rpc-url", devnet.rpcUrl];

  before(async function () {
    this.timeout(120_000);
    devnet = await startDevnet();
    deployment = liveDeployment();
    provider = new JsonRpcProvider(devnet.rpcUrl, undefined, { staticNetwork: true, pollingInterval: 50 });
    accounts = (await provider.send("eth_accounts", [])).map((a: string) => getAddress(a));
    escrow = new Contract(deployment.escrow, aidEscrowAbi as never, provider);
    registry = new Contract(deployment.registry, aidRegistryAbi as never, provider);
  });

  after(async function () {
    provider?.destroy();
    if (devnet) await stopDevnet(devnet);
  });

  /** ConditionAttested logs for one condition by one official: what "no doubles" is checked against. */
  async function attestedLogs(condition: string, official: string) {
    const topic = new Interface(aidRegistryAbi as never).getEvent("ConditionAttested")!.topicHash;
    return provider.getLogs({
      address: deployment.registry,
      fromBlock: 0,
      toBlock: "latest",
      topics: [topic, null, id(condition), zeroPadValue(official, 32)],
    });
  }

  function writeCsv(name: string, lines: string[]) {
    const file = join(tmp, name);
    writeFileSync(file, lines.join("\n") + "\n");
    return file;
  }

  describe("npm start (scripts/devnet.ts)", function () {
    it("serves chain 31337 with the demo's projects in every state", async function () {
      expect(await provider.send("eth_chainId", [])).to.equal("0x7a69");
      expect(await escrow.projectCount()).to.equal(4n);
      expect(await Promise.all([1, 2, 3, 4].map((p) => escrow.projectStatus(p)))).to.deep.equal([
        PROJECT.Active, // Danxi livelihood: paying tranches
        PROJECT.Cancelled, // Langde flood relief: refunds waiting
        PROJECT.Funding, // Wudong housing: publicity window, objection pending
        PROJECT.Funding, // Danxi school meals: still funding
      ]);
    });

    it("seeds claims, an exit with revoked attestations, a pending objection and a waiting refund", async function () {
      const ledger1 = await escrow.projectLedger(1);
      expect(ledger1.claimed).to.equal(parseEther("2"));
      expect((await escrow.enrolment(1, commitment("hh-li"))).status).to.equal(ENROLMENT.Exited);
      const cadre = accounts[scenario.officials["cadre-liu"].account];
      expect((await registry.attestation(commitment("hh-li"), id("household.income-below-line"), cadre)).revoked).to.equal(true);
      const long = await escrow.enrolment(3, commitment("hh-long"));
      expect(long.status).to.equal(ENROLMENT.Objected);
      const now = (await provider.getBlock("latest"))!.timestamp;
      expect(Number(long.windowEndsAt)).to.be.greaterThan(now);
      expect((await escrow.enrolment(3, commitment("hh-chen"))).status).to.equal(ENROLMENT.Enrolled);
      // The NGO's permit donation is still refundable; the bank already took its refund.
      const ngo = accounts[scenario.donors["ngo-spring"].account];
      const bank = accounts[scenario.donors["rural-bank"].account];
      expect(await escrow.refundableOf(2, ngo)).to.equal(parseUnits("2000", 6));
      expect(await escrow.contributionOf(2, bank)).to.equal(0n);
    });

    it("seeds two roster programmes: one with claims open, one in its window with an objection, files served as published", async function () {
      const state = JSON.parse(readFileSync(join(ROOT, ".devnet", `state-${devnet.port}.json`), "utf8"));
      const { aidRosterFactoryAbi, aidRosterProgrammeAbi } = await import("../../lib/generated/contracts.ts");
      const factory = new Contract(state.contracts.rosterFactory, aidRosterFactoryAbi as never, provider);
      expect(await factory.programmeCount()).to.equal(2n);
      const now = (await provider.getBlock("latest"))!.timestamp;
      const meals = state.rosters["leishan-meals"];
      const fuel = state.rosters["leishan-fuel"];
      for (const r of [meals, fuel]) expect(await factory.isProgramme(r.programme)).to.equal(true);
      const mealsRoster = await new Contract(meals.programme, aidRosterProgrammeAbi as never, provider).roster();
      expect(mealsRoster.leafCount).to.equal(307n);
      expect(Number(mealsRoster.claimsOpenAt)).to.be.within(1, now);
      expect(mealsRoster.uri).to.match(/^http:\/\/127\.0\.0\.1:\d+\/api\/roster-files\/leishan-meals-v1\/roster\.proofs$/);
      // The content hash on chain is the sha256 of the file the seed wrote where the dApp serves it.
      const file = readFileSync(join(ROOT, ".devnet", `rosters-${devnet.port}`, "leishan-meals-v1", "roster.proofs"));
      expect(mealsRoster.contentHash).to.equal(`0x${createHash("sha256").update(file).digest("hex")}`);
      const fuelProgramme = new Contract(fuel.programme, aidRosterProgrammeAbi as never, provider);
      const fuelRoster = await fuelProgramme.roster();
      expect(Number(fuelRoster.claimsOpenAt)).to.be.greaterThan(now);
      expect(await fuelProgramme.objectionStatus(fuelRoster.version, fuel.households["hh-tang"].index)).to.equal(1n); // Pending
    });

    it("prints the RPC URL, the dApp line and the dev accounts with roles and keys", function () {
      const out = devnet.output();
      expect(out).to.contain(`RPC URL:    ${devnet.rpcUrl}`);
      expect(out).to.match(/dApp URL: +\(not served: --no-web\)/);
      expect(out).to.match(/\n {2}0 +admin +0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 +0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80/);
      for (const role of ["manager", "official", "reviewer", "guardian", "donor", "beneficiary"]) expect(out).to.contain(` ${role} `);
      expect(out).to.contain("Import account");
    });

    it("starts the claim relayer with its own funded dev key (#20, no demo person's), lists it and records its URL in the state file", async function () {
      const state = JSON.parse(readFileSync(join(ROOT, ".devnet", `state-${devnet.port}.json`), "utf8"));
      expect(state.relayerUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(devnet.output()).to.contain(`Relayer:    ${state.relayerUrl}`);
      const health = await (await fetch(`${state.relayerUrl}/v1/health`)).json();
      const relayer = HDNodeWallet.fromPhrase(DEV_MNEMONIC, "", "m/44'/60'/0'/0").deriveChild(20).address;
      expect(accounts).to.not.include(relayer);
      expect(health).to.include({ chainId: 31337, relayer, factory: state.contracts.rosterFactory, maxBatch: 25 });
      expect(BigInt(health.balanceWei) > 10n ** 20n, "funded on start").to.equal(true);
      expect(await provider.send("eth_getCode", [state.contracts.rosterFactory, "latest"])).to.not.equal("0x");
    });
  });

  describe("the generated module (lib/generated/contracts.ts)", function () {
    it("holds the ABIs of the artifacts and addresses whose code is the artifacts' deployed bytecode", async function () {
      // Cache-busting import: the devnet has just regenerated the file.
      const generated = await import(`../../lib/generated/contracts.ts?fresh=${Date.now()}`);
      const d = generated.deployments["31337"];
      const files: Record<string, string> = {
        AidRegistry: "artifacts/contracts/AidRegistry.sol/AidRegistry.json",
        AidEscrow: "artifacts/contracts/AidEscrow.sol/AidEscrow.json",
        TestStablecoin: "artifacts/contracts/mocks/TestStablecoin.sol/TestStablecoin.json",
      };
      const abiOf: Record<string, unknown> = {
        AidRegistry: generated.aidRegistryAbi,
        AidEscrow: generated.aidEscrowAbi,
        TestStablecoin: generated.testStablecoinAbi,
      };
      for (const [name, file] of Object.entries(files)) {
        const artifact = JSON.parse(readFileSync(join(ROOT, file), "utf8"));
        expect(abiOf[name], name).to.deep.equal(artifact.abi);
        const onChain: string = await provider.getCode(d.contracts[name].address);
        // Immutables (the escrow's registry address) are written at deploy time, and linked libraries (the
        // escrow's AidEscrowGovernance) at link time: mask both on both sides. Each link must name deployed code.
        const links = Object.values(artifact.deployedLinkReferences ?? {}).flatMap((byLib) => Object.values(byLib as Record<string, { start: number; length: number }[]>).flat());
        for (const r of links) {
          const linked = getAddress("0x" + onChain.slice(2 + r.start * 2, 2 + (r.start + r.length) * 2));
          expect(await provider.getCode(linked), `${name} links ${linked}`).to.not.equal("0x");
        }
        const mask = (code: string) => {
          const bytes = code.slice(2).split("");
          const refs = [...(Object.values(artifact.immutableReferences ?? {}) as { start: number; length: number }[][]).flat(), ...links];
          for (const r of refs) for (let i = r.start * 2; i < (r.start + r.length) * 2; i++) bytes[i] = "0";
          return "0x" + bytes.join("");
        };
        expect(keccak256(mask(onChain)), name).to.equal(keccak256(mask(artifact.deployedBytecode)));
      }
    });

    it("records the block each contract was deployed in, and the earliest as the deployment block", async function () {
      const generated = await import(`../../lib/generated/contracts.ts?fresh=${Date.now()}`);
      const d = generated.deployments["31337"];
      for (const c of Object.values(d.contracts) as { address: string; blockNumber: number }[]) {
        expect(await provider.getCode(c.address, c.blockNumber - 1)).to.equal("0x");
        expect(await provider.getCode(c.address, c.blockNumber)).not.to.equal("0x");
      }
      expect(d.deploymentBlock).to.equal(Math.min(...(Object.values(d.contracts) as { blockNumber: number }[]).map((c) => c.blockNumber)));
    });
  });

  describe("attest", function () {
    const HEADER = "commitment_or_address,condition,expiry,evidence_hash,score";
    const officerYang = () => accounts[scenario.officials["officer-yang"].account];

    async function expectRejected(lines: string[], expected: string[]) {
      const file = writeCsv(`bad-${Date.now()}.csv`, lines);
      const before = await provider.getBlockNumber();
      const run = await runCli("attest", [file, ...rpc(), "--from", "3"]);
      expect(run.code, run.stderr).to.equal(2);
      for (const e of expected) expect(run.stderr).to.contain(`${file}:${e}`);
      expect(run.stderr).to.contain("nothing was sent");
      expect(await provider.getBlockNumber()).to.equal(before);
    }

    it("refuses a file with a missing column and sends nothing", async function () {
      await expectRejected(["commitment_or_address,condition,evidence_hash,score", `${commitment("hh-wang")},household.disability,${EV},1`], [
        "1:expiry: required column is missing",
      ]);
    });

    it("refuses a malformed address and an address bound to no household", async function () {
      await expectRejected(
        [HEADER, `0x12345,household.disability,2031-01-01,${EV},1`, `0x000000000000000000000000000000000000dEaD,household.disability,2031-01-01,${EV},1`],
        ["2:commitment_or_address:"],
      );
      // What only the chain can tell is reported in the same run as the format errors of other lines.
      await expectRejected(
        [HEADER, `0x000000000000000000000000000000000000dEaD,household.disability,2031-01-01,${EV},1`, `${commitment("hh-wang")},household.owns-a-yacht,2031-01-01,${EV},1`],
        ["2:commitment_or_address: 0x000000000000000000000000000000000000dEaD is not bound to any household", '3:condition: unknown condition "household.owns-a-yacht"'],
      );
    });

    it("refuses a duplicate row, also when one names the household by its address", async function () {
      const wang = accounts[scenario.households["hh-wang"].account];
      await expectRejected([HEADER, `${commitment("hh-wang")},household.disability,2031-01-01,${EV},1`, `${wang},household.disability,2031-01-01,${EV},1`], [
        "3:commitment_or_address: duplicate of line 2",
      ]);
    });

    it("refuses an unknown condition", async function () {
      await expectRejected([HEADER, `${commitment("hh-wang")},household.owns-a-yacht,2031-01-01,${EV},1`], ['2:condition: unknown condition "household.owns-a-yacht"']);
    });

    it("refuses an expiry in the past (chain time, which the demo moved forward)", async function () {
      const now = (await provider.getBlock("latest"))!.timestamp;
      await expectRejected([HEADER, `${commitment("hh-wang")},household.disability,${now},${EV},1`], ["2:expiry:"]);
    });

    it("resumes a run stopped after its first batch without attesting anything twice", async function () {
      const keys = ["hh-wang", "hh-li", "hh-zhang", "hh-chen", "hh-long"];
      const file = writeCsv("serious-illness.csv", [HEADER, ...keys.map((k) => `${commitment(k)},household.serious-illness,2031-06-30,${EV},50`)]);
      const first = await runCli("attest", [file, ...rpc(), "--from", "3", "--batch-size", "2", "--max-batches", "1", "--json"]);
      expect(first.code, first.stderr).to.equal(0);
      expect(JSON.parse(first.stdout)).to.include({ sent: 2, skipped: 0, failed: 0, pending: 3 });
      const second = await runCli("attest", [file, ...rpc(), "--from", "3", "--batch-size", "2", "--json"]);
      expect(second.code, second.stderr).to.equal(0);
      expect(JSON.parse(second.stdout)).to.include({ sent: 3, skipped: 2, failed: 0, pending: 0 });
      expect(await attestedLogs("household.serious-illness", officerYang())).to.have.length(5);
      const third = await runCli("attest", [file, ...rpc(), "--from", "3", "--json"]);
      expect(JSON.parse(third.stdout)).to.include({ sent: 0, skipped: 5 });
    });

    it("resumes after the process is killed mid-run", async function () {
      const keys = ["hh-wang", "hh-li", "hh-zhang", "hh-chen", "hh-long", "hh-pan"];
      const file = writeCsv("disability.csv", [HEADER, ...keys.map((k) => `${accounts[scenario.households[k].account]},household.disability,2031-06-30,${EV},40`)]);
      const crashed = await runCliUntil("attest", [file, ...rpc(), "--from", "3", "--batch-size", "1"], "batch 1/");
      expect(crashed.killed).to.equal(true);
      const resumed = await runCli("attest", [file, ...rpc(), "--from", "3", "--batch-size", "1", "--json"]);
      expect(resumed.code, resumed.stderr).to.equal(0);
      const summary = JSON.parse(resumed.stdout);
      expect(summary.skipped).to.be.at.least(1);
      expect(summary.sent + summary.skipped).to.equal(keys.length);
      expect(await attestedLogs("household.disability", officerYang())).to.have.length(keys.length);
    });

    it("refuses to send as an account that is not an official as bad input (exit 2), with the file's problems, sending nothing", async function () {
      const file = writeCsv("ok.csv", [HEADER, `${commitment("hh-tang")},household.disability,2031-06-30,${EV},40`]);
      const before = await provider.getBlockNumber();
      const run = await runCli("attest", [file, ...rpc(), "--from", "7"]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`--from: ${accounts[7]} is not a current official.`);
      expect(run.stderr).to.contain("1 problem(s); nothing was sent.");
      const bad = writeCsv("bad-and-not-official.csv", [HEADER, `${commitment("hh-tang")},household.owns-a-yacht,2031-06-30,${EV},40`]);
      const both = await runCli("attest", [bad, ...rpc(), "--from", "7"]);
      expect(both.code).to.equal(2);
      expect(both.stderr).to.contain(`${bad}:2:condition: unknown condition "household.owns-a-yacht"`);
      expect(both.stderr).to.contain(`--from: ${accounts[7]} is not a current official.`);
      expect(both.stderr).to.contain(`2 problem(s) in ${bad}; nothing was sent.`);
      expect(await provider.getBlockNumber()).to.equal(before);
    });
  });

  describe("audit", function () {
    it("balances over the seeded demo and writes Markdown and JSON reports", async function () {
      const out = join(tmp, "reports");
      const run = await runCli("audit", [...rpc(), "--out-dir", out, "--json"]);
      expect(run.code, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout);
      expect(result.balanced).to.equal(true);
      expect(result.critical).to.equal(0);
      const statuses = Object.values(result.books.projects).map((p: any) => p.status);
      expect(statuses.slice(0, 4)).to.deep.equal(["Active", "Cancelled", "Funding", "Funding"]);
      const eth = result.tokens.find((t: { token: string }) => /^0x0+$/.test(t.token));
      expect(eth.balance).to.equal((await provider.getBalance(deployment.escrow, result.toBlock)).toString());
      expect(eth.held).to.equal(eth.balance);
      // The exited household's revoked attestations had backed a paid tranche: flagged, not fatal.
      const flagged = result.books.anomalies.filter((a: { kind: string }) => a.kind === "revoked-attestation-paid");
      expect(flagged.map((a: { commitment: string }) => a.commitment)).to.include(commitment("hh-li"));
      const md = readFileSync(result.report.markdown, "utf8");
      expect(md).to.contain("**Result: the books balance");
      expect(md).to.contain("### Deposits per donor");
      expect(JSON.parse(readFileSync(result.report.json, "utf8")).balanced).to.equal(true);
    });

    it("does not balance over a tampered event file (exit 1)", async function () {
      const eventsFile = join(tmp, "events.json");
      const clean = await runCli("audit", [...rpc(), "--out-dir", join(tmp, "r2"), "--events-out", eventsFile]);
      expect(clean.code, clean.stderr).to.equal(0);
      const saved = JSON.parse(readFileSync(eventsFile, "utf8"));
      const donation = saved.events.find((e: { name: string; args: { projectId: string } }) => e.name === "Donated" && e.args.projectId === "1");
      donation.args.amount = (BigInt(donation.args.amount) + 1n).toString();
      writeFileSync(eventsFile, JSON.stringify(saved));
      const run = await runCli("audit", [...rpc(), "--out-dir", join(tmp, "r3"), "--events-in", eventsFile, "--json"]);
      expect(run.code).to.equal(1);
      const result = JSON.parse(run.stdout);
      expect(result.balanced).to.equal(false);
      const check = result.projectChecks.find((c: { projectId: string }) => c.projectId === "1");
      expect(check.differences[0]).to.match(/^raised: events say \d+, the escrow says \d+$/);
    });

    it("catches a dropped refund and an under-attested payment in a tampered reading (library)", async function () {
      const base = { escrow: deployment.escrow, registry: deployment.registry, fromBlock: deployment.deploymentBlock };
      const client = createPublicClient({ transport: viemHttp(devnet.rpcUrl) });
      const honest = await auditChain(client, base);
      expect(honest.balanced).to.equal(true);
      const tampered = await auditChain(client, {
        ...base,
        transformEvents: (events) =>
          events
            .filter((e) => e.name !== "Refunded")
            .map((e) =>
              e.name === "BeneficiaryEnrolled" && e.args.commitment === commitment("hh-wang")
                ? { ...e, args: { ...e.args, attesters: e.args.attesters.slice(0, 1) } }
                : e,
            ),
      });
      expect(tampered.balanced).to.equal(false);
      const tusd = tampered.tokens.find((t) => t.token === deployment.contracts.TestStablecoin!.address)!;
      expect(BigInt(tusd.held) - BigInt(tusd.balance)).to.equal(parseUnits("5000", 6));
      const under = tampered.books.anomalies.filter((a) => a.kind === "under-attested-payment");
      expect(under.map((a) => [a.projectId, a.commitment, a.severity])).to.deep.equal([["1", commitment("hh-wang"), "critical"]]);
    });

    it("reads the logs in chunks of the configured size and gets the same books", async function () {
      const o = { escrow: deployment.escrow, registry: deployment.registry, fromBlock: deployment.deploymentBlock };
      const toBlock = await provider.getBlockNumber();
      const client = createPublicClient({ transport: viemHttp(devnet.rpcUrl) });
      const whole = await fetchEvents(client, { ...o, toBlock });
      const chunked = await fetchEvents(client, { ...o, toBlock, chunkSize: 7 });
      expect(whole.requests).to.equal(1);
      expect(chunked.requests).to.equal(Math.ceil((toBlock - deployment.deploymentBlock + 1) / 7));
      expect(chunked.events).to.deep.equal(whole.events);
    });

    it("checks where each payment went: to the account bound to the household then (issue 11, item 16)", async function () {
      const base = { escrow: deployment.escrow, registry: deployment.registry, fromBlock: deployment.deploymentBlock };
      const client = createPublicClient({ transport: viemHttp(devnet.rpcUrl) });
      const honest = await auditChain(client, base);
      const kinds = honest.books.anomalies.map((a) => a.kind);
      expect(kinds).to.not.include("payment-to-wrong-account");
      expect(kinds).to.not.include("payment-destination-unchecked");
      // An escrow that paid the submitter instead: the totals still balance, the destination does not.
      const thief = accounts[19];
      const tampered = await auditChain(client, {
        ...base,
        transformEvents: (events) =>
          events.map((e) => (e.name === "AidClaimed" && e.args.commitment === commitment("hh-wang") ? { ...e, args: { ...e.args, recipient: thief } } : e)),
      });
      expect(tampered.balanced).to.equal(true);
      const wrong = tampered.books.anomalies.filter((a) => a.kind === "payment-to-wrong-account");
      expect(wrong.map((a) => [a.projectId, a.commitment, a.severity])).to.deep.equal([["1", commitment("hh-wang"), "critical"]]);
      expect(wrong[0].message).to.contain(thief).and.contain(accounts[scenario.households["hh-wang"].account]);
      // Read from a block after the bindings, the destination cannot be checked: said, not guessed.
      const late = await auditChain(client, {
        ...base,
        transformEvents: (events) => events.filter((e) => e.name !== "IdentityBound"),
      });
      expect(late.books.anomalies.filter((a) => a.kind === "payment-destination-unchecked").map((a) => a.severity)).to.include("warning");
      expect(late.critical).to.equal(honest.critical);
    });

    it("calls money sent to the escrow without a donation a surplus: a warning with its amount, exit 0 (issue 11, item 15)", async function () {
      const tusd = new Contract(deployment.contracts.TestStablecoin!.address, ["function transfer(address,uint256) returns (bool)"], provider);
      const donor = await provider.getSigner(accounts[scenario.donors["rural-bank"].account]);
      await (await (tusd.connect(donor) as Contract).transfer(deployment.escrow, 1n)).wait();
      const run = await runCli("audit", [...rpc(), "--out-dir", join(tmp, "r-surplus"), "--json"]);
      expect(run.code, run.stderr).to.equal(0);
      const result = JSON.parse(run.stdout);
      expect(result.balanced).to.equal(true);
      const t = result.tokens.find((x: { token: string }) => x.token === deployment.contracts.TestStablecoin!.address);
      expect([t.ok, t.surplus, BigInt(t.balance) - BigInt(t.held)]).to.deep.equal([true, "1", 1n]);
      const surplus = result.books.anomalies.filter((a: { kind: string }) => a.kind === "surplus");
      expect(surplus.map((a: { severity: string }) => a.severity)).to.deep.equal(["warning"]);
      expect(surplus[0].message).to.contain("holds 1 more of token");
      const text = await runCli("audit", [...rpc(), "--out-dir", join(tmp, "r-surplus")]);
      expect(text.code, text.stderr).to.equal(0);
      expect(text.stdout).to.contain("ok (surplus 0.000001 tUSD)");
      expect(text.stdout).to.contain("The books balance.");
    });
  });

  describe("project", function () {
    it("creates, funds by permit and cancels from spec files", async function () {
      const created = await runCli("project", [join(ROOT, "demo", "projects", "create-langde-school.json"), ...rpc(), "--from", "1", "--json"]);
      expect(created.code, created.stderr).to.equal(0);
      const { projectId } = JSON.parse(created.stdout);
      expect(projectId).to.equal(Number(await escrow.projectCount()));
      const terms = await escrow.projectTerms(projectId);
      expect(terms.token).to.equal(deployment.contracts.TestStablecoin!.address);
      expect(terms.amountPerTranche).to.equal(parseUnits("120", 6));

      const fundSpec = join(tmp, "fund.json");
      writeFileSync(fundSpec, JSON.stringify({ action: "fund", projectId, amount: "750.5", permit: true }));
      const bank = accounts[scenario.donors["rural-bank"].account];
      const funded = await runCli("project", [fundSpec, ...rpc(), "--from", bank, "--json"]);
      expect(funded.code, funded.stderr).to.equal(0);
      expect(await escrow.contributionOf(projectId, bank)).to.equal(parseUnits("750.5", 6));
      // The donation named the terms version it agreed to: the one read, and printed.
      const version = Number(await escrow.termsVersion(projectId));
      expect(JSON.parse(funded.stdout).termsVersion).to.equal(version);
      // A donor who read other terms than the current ones is refused by the escrow, and gives nothing.
      writeFileSync(fundSpec, JSON.stringify({ action: "fund", projectId, amount: "1", termsVersion: version + 1 }));
      const stale = await runCli("project", [fundSpec, ...rpc(), "--from", bank]);
      expect(stale.code).to.equal(1);
      expect(stale.stderr).to.contain(`The terms of project ${projectId} changed (now version ${version}, you agreed to version ${version + 1})`);
      expect(await escrow.contributionOf(projectId, bank)).to.equal(parseUnits("750.5", 6));

      const cancelSpec = join(tmp, "cancel.json");
      writeFileSync(cancelSpec, JSON.stringify({ action: "cancel", projectId }));
      const byManager = await runCli("project", [cancelSpec, ...rpc(), "--from", "1", "--json"]);
      const half = JSON.parse(byManager.stdout);
      expect(half.cancelled).to.equal(false);
      expect(half.note).to.match(/^Approval recorded until \d{4}-\d\d-\d\dT[\d:.]+Z; cancellation needs the other half, from another account/);
      const again = await runCli("project", [cancelSpec, ...rpc(), "--from", "1"]);
      expect(again.code).to.equal(1);
      expect(again.stderr).to.contain(`${accounts[1]} has already approved this cancellation; the approval stands until 20`);
      // A half can be taken back; then there is nothing left to withdraw, and the manager gives it again.
      const withdrawSpec = join(tmp, "withdraw.json");
      writeFileSync(withdrawSpec, JSON.stringify({ action: "cancel", projectId, withdraw: true }));
      const withdrawn = await runCli("project", [withdrawSpec, ...rpc(), "--from", "1", "--json"]);
      expect(withdrawn.code, withdrawn.stderr).to.equal(0);
      expect((await escrow.cancellationApproval(projectId)).approver).to.equal("0x0000000000000000000000000000000000000000");
      const twice = await runCli("project", [withdrawSpec, ...rpc(), "--from", "1"]);
      expect(twice.code).to.equal(1);
      expect(twice.stderr).to.contain(`${accounts[1]} has no cancellation approval in force to withdraw.`);
      expect((await runCli("project", [cancelSpec, ...rpc(), "--from", "1", "--json"])).code).to.equal(0);
      const byReviewer = await runCli("project", [cancelSpec, ...rpc(), "--from", "5", "--json"]);
      expect(JSON.parse(byReviewer.stdout).cancelled).to.equal(true);
      expect(await escrow.projectStatus(projectId)).to.equal(PROJECT.Cancelled);
    });

    it("rejects a bad spec with the JSON path of every error and sends nothing (exit 2)", async function () {
      const spec = join(tmp, "bad-spec.json");
      const bad = JSON.parse(readFileSync(join(ROOT, "demo", "projects", "create-langde-school.json"), "utf8"));
      bad.terms.threshold = 9;
      bad.terms.conditions.push("household.owns-a-yacht");
      writeFileSync(spec, JSON.stringify(bad));
      const before = await provider.getBlockNumber();
      const run = await runCli("project", [spec, ...rpc(), "--from", "1"]);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.contain(`${spec}:/terms/threshold: must be <= 8`);
      expect(await provider.getBlockNumber()).to.equal(before);
    });
  });

  describe("roster (a programme's life on chain: create, publish, sign-approval, approve, status, rule, cancel)", function () {
    it("takes a programme from a terms file through approval, a ruling and cancellation, refusing bad files by file and field first", async function () {
      this.timeout(120_000);
      const terms = join(tmp, "roster-terms.json");
      writeFileSync(
        terms,
        JSON.stringify({
          token: "ETH",
          category: "school-meals",
          region: "cn-gz-leishan",
          metadataURI: "https://aid.example/roster-cli.json",
          trancheUnlockTimes: ["+3d", "+40d"],
          fundingDeadline: "+2d",
          claimDeadline: "+90d",
          publicityWindow: "1d",
          threshold: 2,
        }),
      );
      const badTerms = join(tmp, "roster-terms-bad.json");
      writeFileSync(badTerms, JSON.stringify({ ...JSON.parse(readFileSync(terms, "utf8")), publicityWindow: "a week" }));
      const refused = await runCli("roster", ["create", "--terms", badTerms, ...rpc(), "--from", "1"]);
      expect(refused.code, refused.stderr).to.equal(2);
      expect(refused.stderr).to.contain(`${badTerms}: publicityWindow: must be seconds or a duration`);

      const created = await runCli("roster", ["create", "--terms", terms, ...rpc(), "--from", "1", "--json"]);
      expect(created.code, created.stderr).to.equal(0);
      const programme = getAddress(JSON.parse(created.stdout).programme);
      const { aidRosterProgrammeAbi } = await import("../../lib/chain/contracts.ts");
      const onChain = new Contract(programme, aidRosterProgrammeAbi as never, provider);
      expect(Number((await onChain.terms()).threshold)).to.equal(2);

      // Three households, 0.1 ETH per tranche each; a donor covers the two tranches.
      const csv = join(tmp, "roster-households.csv");
      writeFileSync(csv, `index,beneficiary,amount\n${[10, 11, 12].map((a, i) => `${i},${accounts[a]},100000000000000000`).join("\n")}\n`);
      const dir = join(tmp, "roster-build");
      expect((await runCli("roster", ["build", "--in", csv, "--out", dir, "--quiet"])).code).to.equal(0);
      const donor = await provider.getSigner(accounts[7]);
      await (await (onChain.connect(donor) as Contract).donate({ value: parseEther("0.6") })).wait();

      const notAProgramme = await runCli("roster", ["publish", "--programme", accounts[3], "--dir", dir, "--uri", "https://x/roster.proofs", ...rpc(), "--from", "1"]);
      expect(notAProgramme.code).to.equal(2);
      expect(notAProgramme.stderr).to.contain("is not a programme created by the AidRosterFactory");
      const published = await runCli("roster", ["publish", "--programme", programme, "--dir", dir, "--uri", "https://aid.example/roster.proofs", ...rpc(), "--from", "1", "--json"]);
      expect(published.code, published.stderr).to.equal(0);
      const proofsHash = `0x${createHash("sha256").update(readFileSync(join(dir, "roster.proofs"))).digest("hex")}`;
      expect((await onChain.roster()).contentHash).to.equal(proofsHash);
      expect((await onChain.roster()).rosterTotal).to.equal(parseEther("0.6"));

      // An official who examined a different build refuses to sign.
      const otherCsv = join(tmp, "roster-other.csv");
      writeFileSync(otherCsv, `index,beneficiary,amount\n0,${accounts[13]},5\n`);
      const otherDir = join(tmp, "roster-other");
      expect((await runCli("roster", ["build", "--in", otherCsv, "--out", otherDir, "--quiet"])).code).to.equal(0);
      const wrongBuild = await runCli("roster", ["sign-approval", "--programme", programme, "--dir", otherDir, "--out", join(tmp, "never.json"), ...rpc(), "--from", "2"]);
      expect(wrongBuild.code).to.equal(2);
      expect(wrongBuild.stderr).to.match(/summary\.json: root: the built roster has 0x[0-9a-f]{64} but the programme's roster v1 has/);

      const files = [];
      for (const official of ["3", "2"]) {
        const file = join(tmp, `approval-${official}.json`);
        const signed = await runCli("roster", ["sign-approval", "--programme", programme, "--dir", dir, "--out", file, ...rpc(), "--from", official]);
        expect(signed.code, signed.stderr).to.equal(0);
        expect(JSON.parse(readFileSync(file, "utf8")).official).to.equal(accounts[Number(official)]);
        files.push(file);
      }
      const tooFew = await runCli("roster", ["approve", "--programme", programme, files[0], ...rpc()]);
      expect(tooFew.code).to.equal(2);
      expect(tooFew.stderr).to.contain("(count): the programme needs exactly 2 approvals, 1 given");
      expect((await onChain.roster()).claimsOpenAt).to.equal(0n);

      const approved = await runCli("roster", ["approve", "--programme", programme, ...files, ...rpc(), "--from", "0"]);
      expect(approved.code, approved.stderr).to.equal(0);
      expect(approved.stdout).to.contain(`roster v1 approved by ${[accounts[2], accounts[3]].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)).join(", ")}`);
      expect((await onChain.roster()).claimsOpenAt).to.be.greaterThan(0n);

      const status = await runCli("roster", ["status", "--programme", programme, ...rpc(), "--json"]);
      expect(status.code, status.stderr).to.equal(0);
      expect(JSON.parse(status.stdout)).to.include({ status: "Funding", households: "3", raised: "0.6 ETH", rosterTotal: "0.6 ETH", contentHash: proofsHash });

      // A villager objects to leaf 1 in the window; the reviewer upholds it from the published tree file.
      await (await (onChain.connect(await provider.getSigner(accounts[14])) as Contract).object(1n, id("not resident"))).wait();
      const tree = join(dir, "roster.tree");
      const noLeaf = await runCli("roster", ["rule", "--programme", programme, "--index", "7", "--uphold", "--tree", tree, ...rpc(), "--from", "5"]);
      expect(noLeaf.code).to.equal(2);
      expect(noLeaf.stderr).to.contain(`${tree}: index: no leaf has index 7`);
      const wrongTree = await runCli("roster", ["rule", "--programme", programme, "--index", "0", "--uphold", "--tree", join(otherDir, "roster.tree"), ...rpc(), "--from", "5"]);
      expect(wrongTree.code).to.equal(2);
      expect(wrongTree.stderr).to.contain("root: the file's root is");
      const notReviewer = await runCli("roster", ["rule", "--programme", programme, "--index", "1", "--uphold", "--tree", tree, ...rpc(), "--from", "1"]);
      expect(notReviewer.code).to.equal(1);
      const upheld = await runCli("roster", ["rule", "--programme", programme, "--index", "1", "--uphold", "--tree", tree, ...rpc(), "--from", "5", "--json"]);
      expect(upheld.code, upheld.stderr).to.equal(0);
      expect(JSON.parse(upheld.stdout)).to.include({ index: "1", upheld: true, beneficiary: accounts[11].toLowerCase(), rosterTotal: parseEther("0.4").toString() });
      expect(await onChain.objectionStatus(1, 1n)).to.equal(2n);

      // Cancellation needs the manager and a reviewer.
      const half = await runCli("roster", ["cancel", "--programme", programme, ...rpc(), "--from", "1"]);
      expect(half.code, half.stderr).to.equal(0);
      expect(half.stdout).to.contain("it needs the other half");
      const whole = await runCli("roster", ["cancel", "--programme", programme, ...rpc(), "--from", "5"]);
      expect(whole.code, whole.stderr).to.equal(0);
      expect(whole.stdout).to.contain("the programme is cancelled");
      expect(await onChain.status()).to.equal(3n);
    });
  });

  describe("Ctrl-C", function () {
    it("stops the devnet and every process it started", async function () {
      const children = devnet.childPids.filter(isAlive);
      expect(children.length, "the hardhat node and the relayer").to.be.at.least(2);
      const { code } = await stopDevnet(devnet);
      expect(code).to.equal(0);
      await new Promise((r) => setTimeout(r, 200));
      expect(children.filter(isAlive)).to.deep.equal([]);
      const refused = await fetch(devnet.rpcUrl, { method: "POST", body: "{}" }).then(
        () => false,
        () => true,
      );
      expect(refused).to.equal(true);
    });
  });
});
