/**
 * attest: an official attests conditions for a whole village from a CSV file.
 *
 *   npm run attest -- <file.csv> [--from <official>] [--batch-size 50] [--max-batches N] [--network sepolia]
 *
 * The whole file is validated first (every problem reported as file:line:field; a bad file sends
 * nothing). Rows already on chain from this official with the same expiry are skipped, so an
 * interrupted run is simply run again: it resumes without attesting anything twice.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Address, Hex } from "viem";
import { formatIssue, resolveSubjects, validateAttestationCsv, type AttestationRow } from "../../lib/registry/attestation-csv.ts";
import { CONDITION_NAMES } from "../../lib/registry/catalogue.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, EXIT, deploymentOf, badInput, connect, loadLib, progress, runCli, send, table, toJson } from "./common.ts";

const HELP = `Usage: npm run attest -- <file.csv> [options]

Attests household conditions from a CSV file, as the official given by --from, in batches (attestBatch).
Validates the whole file before sending; re-running skips rows already on chain with the same expiry.

CSV columns (header row required): commitment_or_address, condition, expiry, evidence_hash, score
  condition: ${CONDITION_NAMES.join(", ")}
             (or its 0x bytes32 id; --allow-condition adds others)
  expiry:    ISO date (2027-06-30 = midnight UTC) or unix seconds; must be in the future

Options:
  --batch-size <n>         rows per transaction (default 50)
  --max-batches <n>        send at most n batches this run; re-run to continue
  --allow-condition <c>    accept a condition name or id outside the catalogue (repeatable)
  --dry-run                validate and show what would be sent, send nothing
${CONNECTION_HELP}

Exit codes: 0 every row is on chain (or pending after --max-batches); 1 a batch failed; 2 bad file or
arguments (every problem is listed at once, --from not an official included; nothing is sent).
`;

interface BatchReport {
  lines: number[];
  status: "sent" | "failed";
  transactionHash?: string;
  error?: string;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...CONNECTION_OPTIONS,
        "batch-size": { type: "string", default: "50" },
        "max-batches": { type: "string" },
        "allow-condition": { type: "string", multiple: true, default: [] },
        "dry-run": { type: "boolean", default: false },
      },
    });
  } catch (err) {
    throw badInput((err as Error).message);
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    process.stdout.write(HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw badInput("give exactly one CSV file (see --help)");
  const file = positionals[0];
  const batchSize = Number(o["batch-size"]);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 500) throw badInput("--batch-size must be an integer from 1 to 500");
  const maxBatches = o["max-batches"] === undefined ? Infinity : Number(o["max-batches"]);
  if (!(maxBatches >= 1)) throw badInput("--max-batches must be a positive integer");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw badInput(`cannot read ${file}: ${(err as Error).message}`);
  }

  const lib = await loadLib();
  const conn = await connect(o);
  try {
    const deployment = await deploymentOf(conn);
    const registry = { address: deployment.registry as Address, abi: lib.aidRegistryAbi } as const;
    const now = Number((await conn.client.getBlock()).timestamp);

    // 1. Validate everything before anything is sent, and report every problem at once: the file's format,
    // what only the chain can tell (an address bound to no household), and who signs. The rows that
    // parsed are checked against the chain even when other rows are malformed, as the dApp's preview does.
    const { rows, issues } = validateAttestationCsv(text, file, { now, extraConditions: o["allow-condition"] });
    issues.push(...(await resolveSubjects(rows, file, (a) => conn.client.readContract({ ...registry, functionName: "commitmentOf", args: [a as Address] }))));
    issues.sort((a, b) => a.line - b.line);
    const wallet = await conn.wallet();
    const official = wallet.account.address;
    // Signing as someone who is not an official is bad input (exit 2), like a bad file: nothing is sent.
    const notOfficial = (await conn.client.readContract({ ...registry, functionName: "isOfficial", args: [official] })) ? undefined : `${lib.sentence("AidRegistryNotOfficial", { account: official })} Choose one with --from.`;
    if (issues.length > 0 || notOfficial) {
      if (o.json) console.log(toJson({ ok: false, issues, ...(notOfficial ? { from: notOfficial } : {}) }));
      else {
        for (const i of issues) console.error(formatIssue(i));
        if (notOfficial) console.error(`--from: ${notOfficial}`);
        const n = issues.length + (notOfficial ? 1 : 0);
        console.error(`${n} problem(s)${issues.length ? ` in ${file}` : ""}; nothing was sent.`);
      }
      return EXIT.BAD_INPUT;
    }

    // 2. Skip what this official already has on chain with the same expiry (what makes re-runs resume).
    const bar = progress("checking", !o.json);
    bar.start(rows.length);
    const pending: AttestationRow[] = [];
    const skipped: AttestationRow[] = [];
    for (const [i, row] of rows.entries()) {
      const a = await conn.client.readContract({ ...registry, functionName: "attestation", args: [row.commitment as Hex, row.conditionId as Hex, official] });
      if (!a.revoked && Number(a.expiry) === row.expiry) skipped.push(row);
      else pending.push(row);
      bar.update(i + 1);
    }
    bar.stop();

    // 3. Send in batches; a failed batch (all-or-nothing on chain) does not stop the others.
    const batches: AttestationRow[][] = [];
    for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
    const reports: BatchReport[] = [];
    let sent = 0;
    let failed = 0;
    const toSend = o["dry-run"] ? [] : batches.slice(0, maxBatches);
    const sendBar = progress("attesting", !o.json);
    sendBar.start(toSend.reduce((n, b) => n + b.length, 0));
    for (const batch of toSend) {
      const lines = batch.map((r) => r.line);
      try {
        const receipt = await send(
          conn,
          {
            ...registry,
            functionName: "attestBatch",
            args: [
              batch.map((r) => ({
                commitment: r.commitment as Hex,
                conditionId: r.conditionId as Hex,
                expiry: r.expiry,
                evidenceHash: r.evidenceHash as Hex,
                score: r.score,
              })),
            ],
          },
          wallet,
        );
        sent += batch.length;
        reports.push({ lines, status: "sent", transactionHash: receipt.transactionHash });
        if (!o.json && !sendBar.active) console.log(`batch ${reports.length}/${batches.length}: lines ${lines[0]}-${lines.at(-1)} sent in ${receipt.transactionHash}`);
      } catch (err) {
        failed += batch.length;
        const error = lib.explainError(err);
        reports.push({ lines, status: "failed", error });
        if (!o.json) console.error(`batch ${reports.length}/${batches.length}: lines ${lines[0]}-${lines.at(-1)} FAILED: ${error}`);
      }
      sendBar.update(sent + failed);
    }
    sendBar.stop();
    const notSent = pending.length - sent - failed;

    const summary = {
      ok: failed === 0,
      file,
      official,
      chainId: conn.chainId,
      rows: rows.length,
      sent,
      skipped: skipped.length,
      failed,
      pending: notSent,
      dryRun: o["dry-run"],
      batches: reports,
    };
    if (o.json) console.log(toJson(summary));
    else {
      console.log(
        table([
          { rows: rows.length, sent, "skipped (already on chain)": skipped.length, failed, "pending (re-run to send)": notSent },
        ]),
      );
    }
    return failed > 0 ? EXIT.FAILURE : EXIT.OK;
  } finally {
    await conn.close();
  }
}

await runCli(() => main(process.argv.slice(2)));
