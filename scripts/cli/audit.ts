/**
 * audit: rebuilds every project's books from events alone and checks them against the escrow's actual
 * balances. Writes a Markdown and a JSON report; exits 1 if the books do not balance.
 *
 *   npm run audit -- [--network sepolia | --rpc-url <url>] [--chunk-size 2000] [--out-dir audit-reports]
 *
 * --events-out saves the decoded events it read; --events-in audits a saved (or edited) event file
 * instead of the chain's logs, still against the chain's balances: that is how a third party re-checks
 * a published audit, and how the tests prove that a tampered reading is caught.
 *
 * Roster programmes (the deployment's AidRosterFactory and every programme it created) are audited in
 * the same run: scripts/cli/audit-rosters.ts reads them, lib/books/roster.ts folds them.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { erc20Abi, formatUnits, zeroAddress, type Address, type Client } from "viem";
import { readContract } from "viem/actions";
import { conditionLabel } from "../../lib/registry/catalogue.ts";
import { bytes32Label, pseudonym, shortHex } from "../../lib/format/text.ts";
import { formatUtc } from "../../lib/format/time.ts";
import { buildEscrowReport } from "../../lib/books/escrow-report.ts";
import { buildRosterBooks } from "../../lib/books/roster.ts";
import type { Describe } from "../../lib/books/describe.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, EXIT, deploymentOf, badInput, connect, loadLib, progress, runCli, table, toJson } from "./common.ts";
import { auditRosters, renderRosterMarkdown, type RosterAudit } from "./audit-rosters.ts";

const HELP = `Usage: npm run audit -- [options]

Rebuilds every project's books from the escrow's and registry's events (chunked eth_getLogs from the
deployment block), checks conservation (raised = claimed + refunded + held, and the escrow's balance of
each token covers the held amounts; money beyond them, sent without a donation, is a surplus: a warning,
never a failure), checks that every payment went to the account bound to the household's commitment at
that block (from the registry's binding and re-binding events), compares with the escrow's own figures,
flags anomalies and writes audit-<chain>-<block>.md and .json. Roster programmes (the deployment's AidRosterFactory) are audited
too: raised (+ surplus) = claimed + refunded + held against each programme's balance, claims per roster
version against its total, windows, objections and refunds, and every claim against the published
roster file. The JSON report's "verdict" is "balanced" or "unbalanced" for everything together.

Options:
  --from-block <n>     first block to read (default: the deployment block from lib/generated/contracts.ts)
  --to-block <n>       last block (default: latest); balances are read at this block
  --chunk-size <n>     blocks per eth_getLogs request (default 2000; lower it for strict providers)
  --out-dir <dir>      where to write the reports (default audit-reports)
  --events-in <file>   audit these decoded events (a file written by --events-out) instead of the logs
  --events-out <file>  save the decoded events read from the chain
  --deployment <file>  audit the deployment described by this JSON file ({ chainId, name, deploymentBlock,
                       contracts: { AidRegistry, AidEscrow, AidRosterFactory?: { address, blockNumber } } })
                       instead of the one lib/generated/contracts.ts lists for the chain
  --roster-files <dir> where to find the published roster files (by content hash or programme address;
                       layout in scripts/cli/audit-rosters.ts). Without it, http(s) roster URIs are
                       fetched (10 s timeout); a roster whose file is unavailable is reported as
                       "leaf membership not checked"
${CONNECTION_HELP}

Exit codes: 0 the books balance and nothing critical was found; 1 they do not (or a critical anomaly,
or the node failed); 2 bad arguments or files.
`;

const label = (b: string) => bytes32Label(b) || b;

async function tokenInfo(client: Client, token: string) {
  if (token === zeroAddress) return { symbol: "ETH", decimals: 18 };
  try {
    const c = { address: token as Address, abi: erc20Abi } as const;
    return { symbol: String(await readContract(client, { ...c, functionName: "symbol" })), decimals: Number(await readContract(client, { ...c, functionName: "decimals" })) };
  } catch {
    return { symbol: token.slice(0, 10), decimals: 0 };
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...CONNECTION_OPTIONS,
        "from-block": { type: "string" },
        "to-block": { type: "string" },
        "chunk-size": { type: "string", default: "2000" },
        "out-dir": { type: "string", default: "audit-reports" },
        "events-in": { type: "string" },
        "events-out": { type: "string" },
        deployment: { type: "string" },
        "roster-files": { type: "string" },
      },
    });
  } catch (err) {
    throw badInput((err as Error).message);
  }
  const o = parsed.values;
  if (o.help) {
    process.stdout.write(HELP);
    return EXIT.OK;
  }
  const intOpt = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw badInput(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const chunkSize = intOpt("chunk-size", o["chunk-size"], 1)!;
  const fromOpt = intOpt("from-block", o["from-block"], 0);
  const toOpt = intOpt("to-block", o["to-block"], 0);
  let eventsIn;
  let rosterEventsIn;
  let fileToBlock: number | undefined;
  if (o["events-in"]) {
    try {
      eventsIn = JSON.parse(readFileSync(o["events-in"], "utf8"));
      // A file written by --events-out says which block it was read at: check balances at that block.
      if (!Array.isArray(eventsIn)) {
        fileToBlock = Number.isInteger(eventsIn?.toBlock) ? eventsIn.toBlock : undefined;
        rosterEventsIn = eventsIn?.rosterEvents;
        eventsIn = eventsIn?.events;
      }
      if (!Array.isArray(eventsIn)) throw new Error("expected an array of events or { events: [...] }");
      if (rosterEventsIn !== undefined && !Array.isArray(rosterEventsIn)) throw new Error("rosterEvents: expected an array of events");
    } catch (err) {
      throw badInput(`--events-in ${o["events-in"]}: ${(err as Error).message}`);
    }
  }

  const lib = await loadLib();
  const { auditChain, fetchEvents } = await import("../../lib/escrow/audit.ts");
  const conn = await connect(o);
  try {
    const deployment = await deploymentOf(conn, o.deployment);
    const factory = deployment.contracts.AidRosterFactory?.address;
    const fromBlock = fromOpt ?? deployment.deploymentBlock;
    let events = eventsIn;
    let toBlock = toOpt ?? fileToBlock;
    let requests = 0;
    if (!events) {
      const bar = progress("reading logs", !o.json);
      bar.start(0);
      const fetched = await fetchEvents(conn.client, {
        escrow: deployment.escrow,
        registry: deployment.registry,
        fromBlock,
        toBlock: toOpt,
        chunkSize,
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.stop();
      ({ events, toBlock, requests } = fetched);
    }
    // With --events-in and no --to-block, balances are read at the last block the file covers.
    const escrowResult = { ...(await auditChain(conn.client, { escrow: deployment.escrow, registry: deployment.registry, fromBlock, toBlock, events })), requests };
    // Roster events come from the same file when it has them (a file from before rosters has none: then
    // they are read from the chain, up to the same block).
    let rosters: RosterAudit | undefined;
    if (factory) {
      const bar = progress("reading roster logs", !o.json);
      bar.start(0);
      rosters = await auditRosters(conn.client, {
        factory,
        fromBlock,
        toBlock: escrowResult.toBlock,
        chunkSize,
        events: rosterEventsIn,
        rosterFilesDir: o["roster-files"],
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.stop();
    }
    if (o["events-out"] && !eventsIn) {
      writeFileSync(o["events-out"], toJson({ chainId: conn.chainId, fromBlock, toBlock: escrowResult.toBlock, events, rosterEvents: rosters?.events ?? [] }));
    }
    const verdict = escrowResult.balanced && escrowResult.critical === 0 && (!rosters || rosters.books.verdict === "balanced") ? "balanced" : "unbalanced";
    const result = {
      verdict,
      ...escrowResult,
      requests: escrowResult.requests + (rosters?.requests ?? 0),
      rosters: rosters && { factory: rosters.factory, verdict: rosters.books.verdict, critical: rosters.books.critical, anomalies: rosters.books.anomalies, programmes: rosters.books.programmes, eventCount: rosters.books.eventCount },
    };

    const tokens = new Map<string, { symbol: string; decimals: number }>();
    for (const t of result.tokens) tokens.set(t.token, await tokenInfo(conn.client, t.token));
    for (const p of Object.values(result.books.projects)) if (!tokens.has(p.token)) tokens.set(p.token, await tokenInfo(conn.client, p.token));
    for (const p of rosters?.books.programmes ?? []) if (!tokens.has(p.token)) tokens.set(p.token, await tokenInfo(conn.client, p.token));
    const fmt = (token: string, v: string | bigint) => {
      const info = tokens.get(token)!;
      return `${formatUnits(BigInt(v), info.decimals)} ${info.symbol}`;
    };

    // What a person reads (the console and the Markdown report) names amounts in their token, households by
    // pseudonym and times in UTC; the JSON report keeps the raw values for machines.
    const describe: Describe = { amount: fmt, household: (c) => `${pseudonym(c)} (${shortHex(c, 10, 8)})`, time: formatUtc };
    const anomalies = {
      escrow: buildEscrowReport(events, describe).anomalies,
      rosters: rosters ? buildRosterBooks(rosters.events, { ...rosters.context, describe }).anomalies : [],
    };
    const md = renderMarkdown(result, rosters, fmt, anomalies);
    mkdirSync(o["out-dir"]!, { recursive: true });
    const base = join(o["out-dir"]!, `audit-${result.chainId}-${result.toBlock}`);
    writeFileSync(`${base}.md`, md);
    writeFileSync(`${base}.json`, toJson(result));

    const ok = verdict === "balanced";
    if (o.json) {
      console.log(toJson({ ok, report: { markdown: `${base}.md`, json: `${base}.json` }, ...result }));
    } else {
      console.log(
        table(
          Object.values(result.books.projects).map((p) => {
            const check = result.projectChecks.find((c) => c.projectId === p.projectId)!;
            return {
              project: p.projectId,
              status: p.status,
              raised: fmt(p.token, p.raised),
              claimed: fmt(p.token, p.claimed),
              refunded: fmt(p.token, p.refunded),
              held: fmt(p.token, p.held),
              donors: Object.keys(p.donors).length,
              enrolled: Object.keys(p.enrolments).length,
              check: check.conserved && check.matchesView ? "ok" : "MISMATCH",
            };
          }),
        ),
      );
      console.log("");
      console.log(table(result.tokens.map((t) => ({ token: tokens.get(t.token)!.symbol, "held (events)": fmt(t.token, t.held), "escrow balance": fmt(t.token, t.balance), check: !t.ok ? "SHORTFALL" : BigInt(t.surplus) > 0n ? `ok (surplus ${fmt(t.token, t.surplus)})` : "ok" }))));
      for (const a of anomalies.escrow) console.log(`${a.severity.toUpperCase()}: ${a.message}`);
      if (rosters) {
        console.log("");
        console.log(
          table(
            rosters.books.programmes.map((p) => ({
              "roster programme": `${p.id} ${p.programme}`,
              status: p.status,
              raised: fmt(p.token, p.raised),
              claimed: fmt(p.token, p.claimed),
              refunded: fmt(p.token, p.refunded),
              held: fmt(p.token, p.held),
              claims: p.claims.length,
              "leaf membership": p.versions.every((v) => v.file.status === "checked") ? "checked" : "NOT CHECKED",
              verdict: p.verdict,
            })),
          ),
        );
        for (const a of anomalies.rosters) console.log(`${a.severity.toUpperCase()}: ${a.message}`);
      }
      const escrowOk = result.balanced && result.critical === 0;
      console.log(
        `\n${ok ? "The books balance." : !result.balanced ? "THE BOOKS DO NOT BALANCE." : !escrowOk ? "The books balance, but critical anomalies were found." : "ROSTER PROGRAMMES DO NOT BALANCE."} ` +
          `${result.books.eventCount} events from blocks ${result.fromBlock}-${result.toBlock} (${result.requests} log requests). Reports: ${base}.md, ${base}.json`,
      );
    }
    return ok ? EXIT.OK : EXIT.FAILURE;
  } finally {
    await conn.close();
  }
}

type Result = Awaited<ReturnType<typeof import("../../lib/escrow/audit.ts").auditChain>> & { verdict: string };

function renderMarkdown(
  r: Result,
  rosters: RosterAudit | undefined,
  fmt: (token: string, v: string | bigint) => string,
  anomalies: { escrow: { severity: string; kind: string; message: string }[]; rosters: { severity: string; kind: string; programme: string; message: string }[] },
): string {
  const mdTable = (rows: Record<string, unknown>[]) => {
    if (rows.length === 0) return "_none_\n";
    const cols = Object.keys(rows[0]);
    return [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`, ...rows.map((x) => `| ${cols.map((c) => String(x[c])).join(" | ")} |`)].join("\n") + "\n";
  };
  const out: string[] = [];
  out.push(`# PrecisionAid audit, chain ${r.chainId}, blocks ${r.fromBlock}-${r.toBlock}`, "");
  out.push(`Escrow ${r.escrow}, registry ${r.registry}. Built from ${r.books.eventCount} events alone; balances and the escrow's own figures read at block ${r.toBlock}.`, "");
  out.push(`**Verdict: ${r.verdict}** (the escrow and every roster programme together).`, "");
  out.push(`**Result: ${r.balanced ? "the books balance" : "THE BOOKS DO NOT BALANCE"}; ${r.critical} critical anomaly(ies).**`, "");
  out.push("## Conservation per token", "");
  out.push(mdTable(r.tokens.map((t) => ({ token: t.token, "held according to events": fmt(t.token, t.held), "escrow balance": fmt(t.token, t.balance), ok: !t.ok ? "**no** (shortfall)" : BigInt(t.surplus) > 0n ? `yes (surplus ${fmt(t.token, t.surplus)}: a warning)` : "yes" }))));
  out.push("## Anomalies", "");
  out.push(mdTable(anomalies.escrow.map((a) => ({ severity: a.severity, kind: a.kind, detail: a.message }))));
  for (const p of Object.values(r.books.projects)) {
    const check = r.projectChecks.find((c) => c.projectId === p.projectId)!;
    out.push(`## Project ${p.projectId}: ${label(p.category)}, ${label(p.region)}`, "");
    out.push(`Status at block ${r.toBlock}: **${p.status}**. Manager ${p.manager}; conditions ${p.conditions.map(conditionLabel).join(", ")}; threshold ${p.threshold}; ${fmt(p.token, p.amountPerTranche)} per tranche${p.cancelled ? "; **cancelled**" : ""}.`, "");
    out.push(mdTable([{ raised: fmt(p.token, p.raised), claimed: fmt(p.token, p.claimed), refunded: fmt(p.token, p.refunded), held: fmt(p.token, p.held), committed: fmt(p.token, p.committed), conserved: check.conserved ? "yes" : "**no**", "matches escrow view": check.matchesView ? "yes" : `**no**: ${check.differences.join("; ")}` }]));
    out.push("### Deposits per donor", "");
    out.push(mdTable(Object.entries(p.donors).map(([donor, d]) => ({ donor, donated: fmt(p.token, d.donated), refunded: fmt(p.token, d.refunded) }))));
    out.push("### Commitments (enrolments)", "");
    out.push(mdTable(p.enrolmentHistory.map((e) => ({ household: e.commitment, status: p.enrolments[e.commitment] === e ? e.status : "superseded", committed: fmt(p.token, e.committed), "enrolled by": e.official, attesters: e.attesters.join(" "), block: e.blockNumber }))));
    out.push("### Claims per beneficiary", "");
    out.push(mdTable(Object.entries(p.claims).map(([commitment, c]) => ({ household: commitment, recipient: c.recipient, // Tranche numbers as people count them (the JSON keeps the chain's 0-based indexes).
      "tranches paid": c.tranches.map((i) => i + 1).join(", "), amount: fmt(p.token, c.amount) }))));
    out.push("### Refunds", "");
    out.push(mdTable(p.refunds.map((x) => ({ donor: x.donor, amount: fmt(p.token, x.amount), block: x.blockNumber }))));
    if (p.objections.length) {
      out.push("### Objections", "");
      out.push(mdTable(p.objections.map((x) => ({ household: x.commitment, objector: x.objector, ruling: x.upheld === undefined ? "pending" : x.upheld ? "upheld" : "dismissed" }))));
    }
  }
  out.push("## Officials", "");
  out.push(mdTable(Object.entries(r.books.officials).map(([official, b]) => ({ official, attestations: b.attestations, "attestations revoked": b.revoked.length }))));
  out.push(...renderRosterMarkdown(rosters, fmt, mdTable, anomalies.rosters));
  return out.join("\n");
}

await runCli(() => main(process.argv.slice(2)));
