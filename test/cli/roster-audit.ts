/**
 * The audit CLI over a live roster programme, as an auditor runs it: a `hardhat node` on a free port, a
 * deployment that lib/generated/contracts.ts does not list (passed with --deployment, as the scale
 * benchmark does), a roster built with `roster build` and served over HTTP, then donations, approval by
 * two officials, an upheld objection, a direct and a relayed claim, cancellation and refunds. The audit
 * must balance with the chain's figures, check every claim against the published tree, and catch a
 * tampered event file.
 */
import { expect } from "chai";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { ROOT, freePort, runCli } from "./helpers/live.ts";
import { decodeTreeFile, fromHex } from "../../lib/roster/index.ts";
import { CLAIM_TYPES, ROOT_APPROVAL_TYPES, rosterDomain } from "../../lib/roster/typed-data.ts";

const DAY = 86_400n;
const loadRosterModule = () => import("../../scripts/cli/audit-rosters.ts");
const tmp = mkdtempSync(join(tmpdir(), "precisionaid-roster-audit-"));

async function startNode(port: number): Promise<ChildProcess> {
  const node = spawn(process.execPath, [join(ROOT, "node_modules", "hardhat", "dist", "src", "cli.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`hardhat node exited with ${node.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return node;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("hardhat node did not answer within 60 s");
}

/** Serves <dir>/<path> over HTTP, the way a roster's URI is published. */
function serve(dir: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    try {
      const body = readFileSync(join(dir, decodeURIComponent(req.url!.split("?")[0])));
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

describe("audit over a live roster programme (--deployment, --roster-files)", function () {
  this.timeout(120_000);
  let node: ChildProcess;
  let files: Server | undefined;
  let rpcUrl: string;
  let deploymentFile: string;
  const rosterDir = join(tmp, "rosters");
  const figures: Record<string, bigint> = {};
  let programme: string;
  let contentHash: string;
  let cleanEvents: string;

  before(async function () {
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    node = await startNode(port);
    const filesPort = await freePort();
    files = await serve(rosterDir, filesPort);

    const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
    const { ethers, networkHelpers } = connection;
    const signers = await ethers.getSigners();
    const [admin, manager, o1, o2, o3, reviewer, donor1, donor2, household1, household2, outsider, relayer] = signers;
    const officials = [o1, o2, o3].sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));

    const deployed = async (name: string, args: unknown[], libraries?: Record<string, string>) => {
      const c = await ethers.deployContract(name, args, libraries ? { libraries } : {});
      const receipt = await c.deploymentTransaction()!.wait();
      return { contract: c, address: await c.getAddress(), blockNumber: receipt!.blockNumber };
    };
    // A direct admin (accepted on the local chain only) and no timelock. Not through Ignition: on a live node
    // it would record this deployment under ignition/deployments/, beside the devnet's. The linked
    // libraries and the programme blueprint as ignition/modules/PrecisionAidRoster.ts deploys them.
    const registry = await deployed("AidRegistry", [admin.address, ethers.ZeroAddress, 2n * DAY, 2, 3n * DAY]);
    const escrowGovernance = await deployed("AidEscrowGovernance", []);
    const escrow = await deployed("AidEscrow", [registry.address], { AidEscrowGovernance: escrowGovernance.address });
    const rosterGovernance = await deployed("AidRosterGovernance", []);
    const blueprint = await deployed("AidRosterBlueprint", [], { AidRosterGovernance: rosterGovernance.address });
    const factory = await deployed("AidRosterFactory", [registry.address, escrow.address, blueprint.address]);
    deploymentFile = join(tmp, "deployment.json");
    writeFileSync(
      deploymentFile,
      JSON.stringify({
        chainId: 31337,
        name: "roster-audit-test",
        deploymentBlock: registry.blockNumber,
        contracts: {
          AidRegistry: { address: registry.address, blockNumber: registry.blockNumber },
          AidEscrow: { address: escrow.address, blockNumber: escrow.blockNumber },
          AidRosterFactory: { address: factory.address, blockNumber: factory.blockNumber },
        },
      }),
    );
    const reg = registry.contract as any;
    await (await reg.grantRole(await reg.MANAGER_ROLE(), manager.address)).wait();
    await (await reg.grantRole(await reg.REVIEWER_ROLE(), reviewer.address)).wait();
    for (const o of officials) await (await reg.addOfficial(o.address, { name: "Roster official", office: "", jurisdiction: "" })).wait();

    const t = BigInt(await networkHelpers.time.latest());
    const terms = {
      token: ethers.ZeroAddress,
      category: ethers.encodeBytes32String("education"),
      region: ethers.encodeBytes32String("cn-gz-leishan"),
      metadataURI: "ipfs://bafy-roster-audit",
      trancheUnlockTimes: [t + 10n * DAY, t + 40n * DAY],
      fundingDeadline: t + 5n * DAY,
      claimDeadline: t + 100n * DAY,
      publicityWindow: Number(7n * DAY),
      threshold: 2,
    };
    const fac = factory.contract as any;
    await (await fac.connect(manager).createProgramme(terms)).wait();
    programme = await fac.programmeAt(1);
    const p = (await ethers.getContractAt("AidRosterProgramme", programme)) as any;

    // The roster: two households and two strangers, built by the CLI officials use.
    const stranger = (i: number) => ethers.getAddress(ethers.zeroPadValue(ethers.toBeHex(0xa11ce00 + i), 20));
    const unit = ethers.parseEther("1");
    const leaves = [
      [0n, household1.address, unit],
      [1n, household2.address, 2n * unit],
      [2n, stranger(1), unit],
      [3n, stranger(2), unit],
    ] as const;
    const csv = join(tmp, "households.csv");
    writeFileSync(csv, `index,beneficiary,amount\n${leaves.map((l) => l.join(",")).join("\n")}\n`);
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "cli", "roster.ts"), "build", "--in", csv, "--out", join(tmp, "build"), "--quiet"], { encoding: "utf8" });
    expect(build.status, build.stderr).to.equal(0);
    const summary = JSON.parse(readFileSync(join(tmp, "build", "summary.json"), "utf8"));
    contentHash = summary.files.proofs.sha256; // what `roster publish` publishes
    mkdirSync(rosterDir, { recursive: true });
    renameSync(join(tmp, "build"), join(rosterDir, contentHash));
    const tree = decodeTreeFile(readFileSync(join(rosterDir, contentHash, "roster.tree")));
    const proofOf = (account: string) => tree.proof(tree.findBeneficiary(fromHex(account.toLowerCase(), 20)));

    const rosterTotal = 5n * unit * 2n;
    await (await p.connect(donor1).donate({ value: 6n * unit })).wait();
    await (await p.connect(donor2).donate({ value: 4n * unit + 1n })).wait();
    const uri = `http://127.0.0.1:${filesPort}/${contentHash}/`;
    await (await p.connect(manager).publishRoster(summary.root, 4, rosterTotal, uri, contentHash)).wait();
    const domain = rosterDomain(31337, programme);
    const approval = { roster: { root: summary.root, version: 1, leafCount: 4, rosterTotal, contentHash }, deadline: t + DAY };
    const approvers = officials.slice(0, 2);
    const types = { RootApproval: [...ROOT_APPROVAL_TYPES.RootApproval], Roster: [...ROOT_APPROVAL_TYPES.Roster] };
    const signatures = await Promise.all(approvers.map((o) => o.signTypedData(domain, types, approval)));
    await (await p.connect(outsider).approveRoot(approvers.map((o) => o.address), signatures, approval.deadline)).wait();
    const claimsOpenAt = BigInt((await p.roster()).claimsOpenAt);

    // An objection to a stranger's leaf, upheld: its 2 units leave the roster total.
    await (await p.connect(outsider).object(3, ethers.id("moved away"))).wait();
    await (await p.connect(reviewer).ruleOnObjection(3, true, stranger(2), unit, proofOf(stranger(2)))).wait();

    await networkHelpers.time.increaseTo(claimsOpenAt > terms.trancheUnlockTimes[0] ? claimsOpenAt : terms.trancheUnlockTimes[0]);
    await (await p.connect(household1).claim(0, 0, unit, proofOf(household1.address))).wait();
    const message = { index: 1n, tranche: 0n, account: household2.address, amount: 2n * unit, nonce: 0n, deadline: t + 200n * DAY };
    const signature = await household2.signTypedData(domain, { RosterClaim: [...CLAIM_TYPES.RosterClaim] }, message);
    await (await p.connect(relayer).claimBatch([{ ...message, proof: proofOf(household2.address), signature }])).wait();

    await (await p.connect(manager).approveCancellation()).wait();
    await (await p.connect(reviewer).approveCancellation()).wait();
    await (await p.connect(donor1).refund()).wait();
    await (await p.connect(donor2).refund()).wait();
    const ledger = await p.ledger();
    Object.assign(figures, { raised: ledger.raised, refunded: ledger.refunded, held: await ethers.provider.getBalance(programme), claimed: 3n * unit });
    await connection.close();
  });

  after(async function () {
    files?.close();
    node?.kill("SIGINT");
  });

  async function audit(args: string[]) {
    const run = await runCli("audit", ["--rpc-url", rpcUrl, "--deployment", deploymentFile, "--out-dir", join(tmp, "reports"), "--json", ...args]);
    return { run, result: run.stdout ? JSON.parse(run.stdout) : undefined };
  }

  it("balances, with the chain's figures, and checks every claim against the published tree", async function () {
    const { run, result } = await audit(["--roster-files", rosterDir]);
    expect(run.code, run.stderr).to.equal(0);
    expect(result.verdict).to.equal("balanced");
    expect(result.rosters.verdict).to.equal("balanced");
    const [p] = result.rosters.programmes;
    expect(p).to.include({ programme, status: "Cancelled", verdict: "balanced", balanceChecked: true });
    expect([p.raised, p.claimed, p.refunded, p.held].map(BigInt)).to.deep.equal([figures.raised, figures.claimed, figures.refunded, figures.held]);
    expect(BigInt(p.raised)).to.equal(BigInt(p.claimed) + BigInt(p.refunded) + BigInt(p.held));
    expect(Object.keys(p.donors)).to.have.length(2);
    expect(p.versions).to.have.length(1);
    expect(p.versions[0]).to.deep.include({ version: 1, leafCount: 4, contentHash, claims: 2, upheldIndexes: ["3"] });
    expect(p.versions[0].file).to.deep.equal({
      status: "checked",
      detail: join(rosterDir, contentHash, "roster.proofs"),
      contentHashMatches: true,
      claimsChecked: 2,
      claimsNotLeaves: 0,
    });
    expect(p.objections.map((o: any) => [o.index, o.ruling.upheld])).to.deep.equal([["3", true]]);
    expect(p.skippedInBatches).to.equal(0);
    const md = readFileSync(result.report.markdown, "utf8");
    expect(md).to.contain("## Roster programmes");
    expect(md).to.contain("every roster programme balances");
    expect(md).to.contain("**Verdict: balanced**");
    expect(JSON.parse(readFileSync(result.report.json, "utf8")).verdict).to.equal("balanced");
  });

  it("fetches the roster file from its published http URI when no folder is given", async function () {
    const { run, result } = await audit([]);
    expect(run.code, run.stderr).to.equal(0);
    const file = result.rosters.programmes[0].versions[0].file;
    expect(file).to.include({ status: "checked", claimsChecked: 2, contentHashMatches: true });
    expect(file.detail).to.match(/^http:\/\/127\.0\.0\.1:\d+\/0x[0-9a-f]{64}\/$/);
  });

  it("marks leaf membership as not checked when the file cannot be had", async function () {
    const { run, result } = await audit(["--roster-files", join(tmp, "empty")]);
    expect(run.code, run.stderr).to.equal(0);
    const file = result.rosters.programmes[0].versions[0].file;
    expect(file.status).to.equal("not checked");
    expect(file.detail).to.equal(`no file for content hash ${contentHash} in ${join(tmp, "empty")}; leaf membership not checked`);
    const md = readFileSync(result.report.markdown, "utf8");
    expect(md).to.contain("**not checked**");
  });

  it("saves the roster events with --events-out and re-audits them unchanged with --events-in", async function () {
    cleanEvents = join(tmp, "events.json");
    const { run } = await audit(["--roster-files", rosterDir, "--events-out", cleanEvents]);
    expect(run.code, run.stderr).to.equal(0);
    const saved = JSON.parse(readFileSync(cleanEvents, "utf8"));
    expect(saved.rosterEvents.map((e: any) => e.name)).to.include.members(["ProgrammeCreated", "RosterPublished", "RootApproved", "ObjectionRuled", "Claimed", "ProgrammeCancelled", "Refunded"]);
    expect(saved.rosterEvents.every((e: any) => Number.isInteger(e.timestamp))).to.equal(true);
    const again = await audit(["--roster-files", rosterDir, "--events-in", cleanEvents]);
    expect(again.run.code, again.run.stderr).to.equal(0);
    expect(again.result.verdict).to.equal("balanced");
  });

  it("catches a tampered event file: a claim moved to another account, and a dropped refund (exit 1)", async function () {
    const saved = JSON.parse(readFileSync(cleanEvents, "utf8"));
    const claim = saved.rosterEvents.find((e: any) => e.name === "Claimed" && e.args.index === "0");
    const thief = "0x000000000000000000000000000000000000dEaD";
    claim.args.account = thief;
    const refundAt = saved.rosterEvents.findIndex((e: any) => e.name === "Refunded");
    const [dropped] = saved.rosterEvents.splice(refundAt, 1);
    const tampered = join(tmp, "tampered.json");
    writeFileSync(tampered, JSON.stringify(saved));
    const { run, result } = await audit(["--roster-files", rosterDir, "--events-in", tampered]);
    expect(run.code).to.equal(1);
    expect(result.verdict).to.equal("unbalanced");
    expect(result.balanced).to.equal(true); // the escrow's own books are untouched
    const [p] = result.rosters.programmes;
    expect(p.verdict).to.equal("unbalanced");
    const byKind = (kind: string) => result.rosters.anomalies.filter((a: any) => a.kind === kind).map((a: any) => a.message);
    expect(byKind("claim-not-a-leaf")).to.deep.equal([`Claimed (index 0, ${thief}, 1000000000000000000) is not a leaf of roster v1 (${join(rosterDir, contentHash, "roster.proofs")}).`]);
    const heldByEvents = figures.held + BigInt(dropped.args.amount);
    expect(byKind("not-conserved")).to.deep.equal([
      `The programme holds ${figures.held}, but raised ${figures.raised} - claimed ${figures.claimed} - refunded ${figures.refunded - BigInt(dropped.args.amount)} = ${heldByEvents}.`,
    ]);
    expect(byKind("view-mismatch")).to.deep.equal([`refunded: events say ${figures.refunded - BigInt(dropped.args.amount)}, the programme says ${figures.refunded}.`]);
  });

  it("catches an event file that leaves a whole programme out (exit 1)", async function () {
    const saved = JSON.parse(readFileSync(cleanEvents, "utf8"));
    saved.rosterEvents = saved.rosterEvents.filter((e: any) => e.name !== "ProgrammeCreated");
    const tampered = join(tmp, "no-programme.json");
    writeFileSync(tampered, JSON.stringify(saved));
    const { run, result } = await audit(["--events-in", tampered]);
    expect(run.code).to.equal(1);
    expect(result.rosters.programmes).to.deep.equal([]);
    expect(result.rosters.anomalies.map((a: any) => [a.kind, a.severity, a.message])).to.deep.include.members([
      ["programme-count-mismatch", "critical", "The events name 0 programme(s), the factory says it created 1."],
    ]);
  });

  it("refuses a deployment file with a bad field, naming the file and the field (exit 2)", async function () {
    const bad = join(tmp, "bad-deployment.json");
    const d = JSON.parse(readFileSync(deploymentFile, "utf8"));
    d.contracts.AidRosterFactory.address = "0x1234";
    writeFileSync(bad, JSON.stringify(d));
    const run = await runCli("audit", ["--rpc-url", rpcUrl, "--deployment", bad, "--out-dir", join(tmp, "reports")]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain(`${bad}: contracts.AidRosterFactory.address: expected a 0x address`);
    d.contracts.AidRosterFactory.address = programme;
    d.chainId = 1;
    writeFileSync(bad, JSON.stringify(d));
    const wrongChain = await runCli("audit", ["--rpc-url", rpcUrl, "--deployment", bad]);
    expect(wrongChain.code).to.equal(2);
    expect(wrongChain.stderr).to.contain(`${bad}: chainId: the file is for chain 1, the node is chain 31337`);
  });
});

describe("finding roster files for the audit (scripts/cli/audit-rosters.ts)", function () {
  const H = `0x${"ab".repeat(32)}`;
  const P = "0x75537828f2ce51be7289709686A69CbFDbB714F1";
  const booksWith = (uri: string, contentHash = H) =>
    ({ programmes: [{ programme: P, versions: [{ version: 1, uri, contentHash }, { version: 2, uri, contentHash }] }] }) as any;

  it("looks by content hash first, then by programme and version, and by programme only for the latest version", async function () {
    const { candidatePaths } = await loadRosterModule();
    expect(candidatePaths("d", P, 1, H.toUpperCase().replace("0X", "0x"), false)).to.deep.equal([
      join("d", H, "roster.proofs"),
      join("d", H, "roster.tree"),
      join("d", `${H}.proofs`),
      join("d", `${H}.tree`),
      join("d", P, "v1", "roster.proofs"),
      join("d", P, "v1", "roster.tree"),
      join("d", P.toLowerCase(), "v1", "roster.proofs"),
      join("d", P.toLowerCase(), "v1", "roster.tree"),
    ]);
    expect(candidatePaths("d", P, 2, H, true)).to.include(join("d", P, "roster.proofs"));
  });

  it("reports a file that is not a roster file, an unfetched URI scheme, an HTTP error and a timeout as not checked", async function () {
    const { loadRosterFiles } = await loadRosterModule();
    const dir = join(tmp, "bad-files");
    mkdirSync(join(dir, H), { recursive: true });
    writeFileSync(join(dir, H, "roster.proofs"), "not a roster");
    const fromDir = await loadRosterFiles(booksWith("ipfs://x"), { dir });
    expect(fromDir[`${P.toLowerCase()}#1`]).to.deep.equal({
      unavailable: `${join(dir, H, "roster.proofs")}: not a roster tree or proofs file (expected the "PAROSTER" header); leaf membership not checked`,
    });
    const ipfs = await loadRosterFiles(booksWith("ipfs://bafy-roster"), {});
    expect(ipfs[`${P.toLowerCase()}#2`]).to.deep.equal({ unavailable: "ipfs://bafy-roster is not fetched (pass --roster-files <dir>); leaf membership not checked" });

    const port = await freePort();
    // Answers 404 to /missing and never answers /slow.
    const server = createServer((req, res) => {
      if (req.url === "/missing") res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
    try {
      const missing = await loadRosterFiles(booksWith(`http://127.0.0.1:${port}/missing`), {});
      expect(missing[`${P.toLowerCase()}#1`]).to.deep.equal({ unavailable: `http://127.0.0.1:${port}/missing: HTTP 404; leaf membership not checked` });
      const slow = await loadRosterFiles(booksWith(`http://127.0.0.1:${port}/slow`), { timeoutMs: 300 });
      expect(slow[`${P.toLowerCase()}#1`]).to.deep.equal({ unavailable: `http://127.0.0.1:${port}/slow: no answer within 0.3 s; leaf membership not checked` });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
