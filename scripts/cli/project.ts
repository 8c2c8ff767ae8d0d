/**
 * project: create, fund or cancel a project from a JSON spec file checked against
 * lib/escrow/project-spec.schema.json. Errors name their JSON path; a bad spec sends nothing.
 *
 *   npm run project -- <spec.json> [--from <account>] [--network sepolia]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatUnits, parseEventLogs, parseUnits, zeroAddress, type Address } from "viem";
import { erc20PermitAbi, permitTypedData, permitVrs } from "../../lib/chain/permit.ts";
import { checkProjectTerms } from "../../lib/escrow/terms.ts";
import en from "../../messages/en.json" with { type: "json" };
import { PROJECT_SPEC_SCHEMA_PATH, resolveTerms, validateProjectSpec } from "../../lib/escrow/project-spec.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, EXIT, deploymentOf, CliError, badInput, connect, loadLib, runCli, send, table, toJson } from "./common.ts";

const HELP = `Usage: npm run project -- <spec.json> [options]

Runs one action from a JSON spec (schema: ${PROJECT_SPEC_SCHEMA_PATH.split("/").slice(-3).join("/")}):
  {"action": "create", "terms": {...}}          as a programme manager
  {"action": "fund", "projectId": 1, "amount": "2.5", "permit": false, "termsVersion": 0}
                                                as a donor (ETH or the project's ERC-20); the donation names
                                                the terms version it agrees to (default: the one current
                                                when the project is read, printed), and the escrow refuses
                                                it if the manager changed the terms since
  {"action": "cancel", "projectId": 1}          approve cancellation, as the project's manager or a reviewer
                                                (two different accounts; a half waits 7 days for the other)
  {"action": "cancel", "projectId": 1, "withdraw": true}   take back your own half still in force
Times: unix seconds, ISO dates (midnight UTC) or "+10d" after the chain's current time.

Options:
  --dry-run          validate and show the resolved call, send nothing
${CONNECTION_HELP}

Exit codes: 0 done; 1 the transaction was refused (reason printed) or the node failed; 2 bad spec or arguments.
`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...CONNECTION_OPTIONS, "dry-run": { type: "boolean", default: false } } });
  } catch (err) {
    throw badInput((err as Error).message);
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    process.stdout.write(HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw badInput("give exactly one spec file (see --help)");
  const file = positionals[0];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw badInput(`${file}: ${(err as Error).message}`);
  }
  const { spec, errors } = validateProjectSpec(raw);
  if (!spec) {
    if (o.json) console.log(toJson({ ok: false, errors }));
    else {
      for (const e of errors) console.error(`${file}:${e.path}: ${e.message}`);
      console.error(`${errors.length} problem(s) in ${file}; nothing was sent.`);
    }
    return EXIT.BAD_INPUT;
  }

  const lib = await loadLib();
  const conn = await connect(o);
  try {
    const deployment = await deploymentOf(conn);
    const wallet = await conn.wallet();
    const from = wallet.account.address;
    const escrow = { address: deployment.escrow as Address, abi: lib.aidEscrowAbi } as const;
    const now = Number((await conn.client.getBlock()).timestamp);
    const out: Record<string, unknown> = { ok: true, action: spec.action, from, chainId: conn.chainId };
    const token = (address: Address) => ({ address, abi: erc20PermitAbi }) as const;

    if (spec.action === "create") {
      const stablecoin = deployment.contracts.TestStablecoin?.address;
      const tokenAddress = spec.terms.token === "ETH" ? zeroAddress : spec.terms.token === "tUSD" ? stablecoin : spec.terms.token;
      if (!tokenAddress) throw badInput(`${file}:/terms/token: tUSD exists only on local chains; give the token's address`);
      const decimals = tokenAddress === zeroAddress ? 18 : Number(await conn.client.readContract({ ...token(tokenAddress as Address), functionName: "decimals" }));
      const terms = resolveTerms(spec.terms, { now, stablecoin, decimals });
      // The escrow's own rules (lib/escrow/terms.ts, the create-project form's too), before anything is sent.
      const [maxConditions, maxThreshold, maxTranches] = await Promise.all(
        (["MAX_CONDITIONS", "MAX_THRESHOLD", "MAX_TRANCHES"] as const).map(async (functionName) => Number(await conn.client.readContract({ ...escrow, functionName }))),
      );
      const broken = checkProjectTerms(terms, { now, maxConditions, maxThreshold, maxTranches }, { decimals });
      if (broken.length) {
        const at = (r: (typeof broken)[number]) => `/terms/${r.field}${r.field === "trancheUnlockTimes" && r.values?.n ? `/${Number(r.values.n) - 1}` : ""}`;
        const errors = broken.map((r) => ({ path: at(r), message: lib.fillTemplate(en.manager.err[r.key as keyof typeof en.manager.err], Object.fromEntries(Object.entries(r.values ?? {}).map(([k, v]) => [k, String(v)]))) }));
        if (o.json) console.log(toJson({ ok: false, errors }));
        else {
          for (const e of errors) console.error(`${file}:${e.path}: ${e.message}`);
          console.error(`${errors.length} problem(s) in ${file}; nothing was sent.`);
        }
        return EXIT.BAD_INPUT;
      }
      out.terms = terms;
      if (!o["dry-run"]) {
        const receipt = await send(conn, { ...escrow, functionName: "createProject", args: [terms] }, wallet);
        const [created] = parseEventLogs({ abi: lib.aidEscrowAbi, logs: receipt.logs, eventName: "ProjectCreated" });
        out.projectId = Number(created.args.projectId);
        out.transactionHash = receipt.transactionHash;
      }
    } else if (spec.action === "fund") {
      const [terms, currentVersion] = await Promise.all([
        conn.client.readContract({ ...escrow, functionName: "projectTerms", args: [BigInt(spec.projectId)] }),
        conn.client.readContract({ ...escrow, functionName: "termsVersion", args: [BigInt(spec.projectId)] }),
      ]);
      out.projectId = spec.projectId;
      // The terms the donor agrees to (docs/DECISIONS.md E8): the spec's, or the ones just read and shown.
      const agreedVersion = spec.termsVersion === undefined ? currentVersion : BigInt(spec.termsVersion);
      out.termsVersion = Number(agreedVersion);
      if (terms.token === zeroAddress) {
        const value = parseUnits(spec.amount, 18);
        if (spec.permit) throw badInput(`${file}:/permit: project ${spec.projectId} takes ETH; permits are for ERC-20 tokens`);
        out.amount = `${spec.amount} ETH`;
        if (!o["dry-run"]) out.transactionHash = (await send(conn, { ...escrow, functionName: "donate", args: [BigInt(spec.projectId), agreedVersion], value }, wallet)).transactionHash;
      } else {
        const t = token(terms.token);
        const decimals = Number(await conn.client.readContract({ ...t, functionName: "decimals" }));
        const amount = parseUnits(spec.amount, decimals);
        out.amount = `${formatUnits(amount, decimals)} ${await conn.client.readContract({ ...t, functionName: "symbol" })}`;
        if (!o["dry-run"]) {
          if (spec.permit) {
            const deadline = BigInt(now + 3600);
            const signature = await wallet.signTypedData(
              permitTypedData({
                name: await conn.client.readContract({ ...t, functionName: "name" }),
                chainId: conn.chainId,
                token: terms.token,
                message: { owner: from, spender: escrow.address, value: amount, nonce: await conn.client.readContract({ ...t, functionName: "nonces", args: [from] }), deadline },
              }),
            );
            const { v, r, s } = permitVrs(signature);
            out.transactionHash = (await send(conn, { ...escrow, functionName: "donateWithPermit", args: [BigInt(spec.projectId), amount, agreedVersion, deadline, v, r, s] }, wallet)).transactionHash;
          } else {
            if ((await conn.client.readContract({ ...t, functionName: "allowance", args: [from, escrow.address] })) < amount) {
              await send(conn, { ...t, functionName: "approve", args: [escrow.address, amount] }, wallet);
            }
            out.transactionHash = (await send(conn, { ...escrow, functionName: "donateToken", args: [BigInt(spec.projectId), amount, agreedVersion] }, wallet)).transactionHash;
          }
        }
      }
    } else if (spec.withdraw) {
      out.projectId = spec.projectId;
      if (!o["dry-run"]) {
        const receipt = await send(conn, { ...escrow, functionName: "withdrawCancellation", args: [BigInt(spec.projectId)] }, wallet);
        out.transactionHash = receipt.transactionHash;
        out.note = "Your cancellation approval is withdrawn: the project's cancellation waits for two new halves.";
      }
    } else {
      out.projectId = spec.projectId;
      if (!o["dry-run"]) {
        const receipt = await send(conn, { ...escrow, functionName: "approveCancellation", args: [BigInt(spec.projectId)] }, wallet);
        out.transactionHash = receipt.transactionHash;
        out.cancelled = parseEventLogs({ abi: lib.aidEscrowAbi, logs: receipt.logs, eventName: "ProjectCancelled" }).length > 0;
        const [half] = parseEventLogs({ abi: lib.aidEscrowAbi, logs: receipt.logs, eventName: "CancellationApproved" });
        out.note = out.cancelled
          ? "Cancelled: claims are closed and donors can take their refunds."
          : `Approval recorded until ${new Date(Number(half.args.expiresAt) * 1000).toISOString()}; cancellation needs the other half, from another account: the project's manager and a reviewer.`;
      }
    }
    if (o["dry-run"]) out.dryRun = true;

    if (o.json) console.log(toJson(out));
    else {
      const { terms, ...rest } = out;
      console.log(table([rest as Record<string, unknown>]));
      if (terms && o["dry-run"]) console.log(toJson(terms));
    }
    return EXIT.OK;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(lib.explainError(err));
  } finally {
    await conn.close();
  }
}

await runCli(() => main(process.argv.slice(2)));
