/**
 * project: create, fund or cancel a project from a JSON spec file checked against
 * lib/escrow/project-spec.schema.json. Errors name their JSON path; a bad spec sends nothing.
 *
 *   npm run project -- <spec.json> [--from <account>] [--network sepolia]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Contract, Signature, ZeroAddress, formatUnits, parseUnits, type Signer } from "ethers";
import { PROJECT_SPEC_SCHEMA_PATH, resolveTerms, validateProjectSpec } from "../../lib/escrow/project-spec.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, EXIT, deploymentOf, CliError, badInput, connect, loadLib, runCli, table, toJson } from "./common.ts";

const HELP = `Usage: npm run project -- <spec.json> [options]

Runs one action from a JSON spec (schema: ${PROJECT_SPEC_SCHEMA_PATH.split("/").slice(-3).join("/")}):
  {"action": "create", "terms": {...}}          as a programme manager
  {"action": "fund", "projectId": 1, "amount": "2.5", "permit": false}   as a donor (ETH or the project's ERC-20)
  {"action": "cancel", "projectId": 1}          approve cancellation, as the project's manager or a reviewer
Times: unix seconds, ISO dates (midnight UTC) or "+10d" after the chain's current time.

Options:
  --dry-run          validate and show the resolved call, send nothing
${CONNECTION_HELP}

Exit codes: 0 done; 1 the transaction was refused (reason printed) or the node failed; 2 bad spec or arguments.
`;

const erc20Abi = [
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "function name() view returns (string)",
  "function allowance(address,address) view returns (uint256)",
  "function approve(address,uint256) returns (bool)",
  "function nonces(address) view returns (uint256)",
];

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
    const signer: Signer = await conn.signer();
    const from = await signer.getAddress();
    const escrow = new Contract(deployment.escrow, lib.aidEscrowAbi as never, signer);
    const now = Number((await conn.provider.getBlock("latest"))!.timestamp);
    const out: Record<string, unknown> = { ok: true, action: spec.action, from, chainId: conn.chainId };

    if (spec.action === "create") {
      const stablecoin = deployment.contracts.TestStablecoin?.address;
      const tokenAddress = spec.terms.token === "ETH" ? ZeroAddress : spec.terms.token === "tUSD" ? stablecoin : spec.terms.token;
      if (!tokenAddress) throw badInput(`${file}:/terms/token: tUSD exists only on local chains; give the token's address`);
      const decimals = tokenAddress === ZeroAddress ? 18 : Number(await new Contract(tokenAddress, erc20Abi, conn.provider).decimals());
      const terms = resolveTerms(spec.terms, { now, stablecoin, decimals });
      out.terms = terms;
      if (!o["dry-run"]) {
        const tx = await escrow.createProject(terms);
        const receipt = await tx.wait();
        const created = receipt.logs.map((l: never) => escrow.interface.parseLog(l)).find((e: { name: string } | null) => e?.name === "ProjectCreated");
        out.projectId = Number(created.args.projectId);
        out.transactionHash = tx.hash;
      }
    } else if (spec.action === "fund") {
      const terms = await escrow.projectTerms(spec.projectId);
      out.projectId = spec.projectId;
      if (terms.token === ZeroAddress) {
        const value = parseUnits(spec.amount, 18);
        if (spec.permit) throw badInput(`${file}:/permit: project ${spec.projectId} takes ETH; permits are for ERC-20 tokens`);
        out.amount = `${spec.amount} ETH`;
        if (!o["dry-run"]) out.transactionHash = (await (await escrow.donate(spec.projectId, { value })).wait()).hash;
      } else {
        const token = new Contract(terms.token, erc20Abi, signer);
        const decimals = Number(await token.decimals());
        const amount = parseUnits(spec.amount, decimals);
        out.amount = `${formatUnits(amount, decimals)} ${await token.symbol()}`;
        if (!o["dry-run"]) {
          if (spec.permit) {
            const deadline = now + 3600;
            const { chainId } = await conn.provider.getNetwork();
            const sig = await signer.signTypedData(
              { name: await token.name(), version: "1", chainId, verifyingContract: terms.token },
              {
                Permit: [
                  { name: "owner", type: "address" },
                  { name: "spender", type: "address" },
                  { name: "value", type: "uint256" },
                  { name: "nonce", type: "uint256" },
                  { name: "deadline", type: "uint256" },
                ],
              },
              { owner: from, spender: deployment.escrow, value: amount, nonce: await token.nonces(from), deadline },
            );
            const { v, r, s } = Signature.from(sig);
            out.transactionHash = (await (await escrow.donateWithPermit(spec.projectId, amount, deadline, v, r, s)).wait()).hash;
          } else {
            if ((await token.allowance(from, deployment.escrow)) < amount) await (await token.approve(deployment.escrow, amount)).wait();
            out.transactionHash = (await (await escrow.donateToken(spec.projectId, amount)).wait()).hash;
          }
        }
      }
    } else {
      out.projectId = spec.projectId;
      if (!o["dry-run"]) {
        const receipt = await (await escrow.approveCancellation(spec.projectId)).wait();
        out.transactionHash = receipt.hash;
        const names = receipt.logs.map((l: never) => escrow.interface.parseLog(l)?.name);
        out.cancelled = names.includes("ProjectCancelled");
        out.note = out.cancelled
          ? "Cancelled: claims are closed and donors can take their refunds."
          : "Approval recorded; cancellation needs both the project's manager and a reviewer.";
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
