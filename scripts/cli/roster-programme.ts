/**
 * The chain-facing `roster` commands: a programme's life from creation to approval, for managers and
 * officials. `roster build` (scripts/cli/roster.ts) makes the files; these put them on chain.
 *
 *   roster create --terms <terms.json>                           manager: a new programme from the factory
 *   roster publish --programme <0x..> --dir <build dir> --uri <uri>   manager: publish a built roster
 *   roster sign-approval --programme <0x..> [--dir <build dir>] [--deadline <time>] --out <file>   official: sign
 *   roster approve --programme <0x..> <approval.json>...       anyone: submit k officials' approvals in one tx
 *   roster status --programme <0x..>                           anyone: the roster, its window and the money
 *   roster rule --programme <0x..> --index N (--uphold | --dismiss) --tree <dir>/roster.tree   reviewer
 *   roster cancel --programme <0x..> [--withdraw]              manager or reviewer: approve (or withdraw) a cancellation half
 *
 * Every file is checked field by field before anything is sent (exit 2 names the file and field); a
 * refusal by the contract is decoded to its sentence (exit 1).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { decodeTreeFile } from "../../lib/roster/files.ts";
import { parseArgs } from "node:util";
import { erc20Abi, formatUnits, getAddress, isAddress, parseEventLogs, zeroAddress, type Address, type Hex } from "viem";
import { resolveProgrammeTerms } from "../../lib/roster/terms.ts";
import { PROJECT_STATUSES } from "../../lib/escrow/status.ts";
import { OBJECTION_STATUSES } from "../../lib/roster/status.ts";
import { parseTime } from "../../lib/format/time.ts";
import {
  DEFAULT_APPROVAL_LIFETIME,
  RosterInputError,
  assembleApprovals,
  parseApprovalRecord,
  readRosterBuild,
  rootApprovalDigest,
  signRootApproval,
} from "../../lib/roster/lifecycle.ts";
import { CONNECTION_HELP, CONNECTION_OPTIONS, EXIT, CliError, badInput, connect, deploymentOf, loadLib, send, table, toJson, type Connection } from "./common.ts";

export const CHAIN_COMMANDS = ["create", "publish", "sign-approval", "approve", "status", "rule", "cancel"] as const;

const HELP = `Usage: npm run roster -- <command> [options]

  create --terms <terms.json>                      create a programme (manager); terms file:
      {"token": "ETH" | "tUSD" | "0x..", "category": "school-meals", "region": "cn-gz-leishan",
       "metadataURI": "https://..", "trancheUnlockTimes": ["+8d", "2027-03-01"], "fundingDeadline": "+5d",
       "claimDeadline": "+200d", "publicityWindow": "7d", "threshold": 3}
  publish --programme <0x..> --dir <dir> --uri <uri>
      publish dir/summary.json's root (manager); checks dir/roster.proofs against its recorded hash and
      publishes that hash as the content hash; <uri> is where that proofs file will be served
  sign-approval --programme <0x..> --out <file> [--dir <dir>] [--deadline <time>]
      sign the programme's current roster as an official (EIP-712); with --dir, first checks that the
      roster on chain is exactly the one built in <dir> (root, row count and file hash). The approval is
      valid until --deadline (default "+7d"); the k officials of one approval must sign the same deadline
      (agree on a date, e.g. "2027-03-01"), and the file records it
  approve --programme <0x..> <approval.json> [<approval.json> ...]
      submit k officials' approvals in one transaction (anyone may), before their deadline
  status --programme <0x..>
      the programme's roster, window, approvals and money
  rule --programme <0x..> --index <n> (--uphold | --dismiss) --tree <dir>/roster.tree
      rule on the pending objection to leaf <n> (reviewer); the leaf and its proof come from the
      published tree file, which must be the programme's current roster
  cancel --programme <0x..> [--withdraw]
      approve cancellation, as the programme's manager or as a reviewer: both halves are needed, from two
      different accounts; a first half counts for 7 days. Claims stop and donors' refunds open once both
      have approved. --withdraw takes back your own pending half
Times: unix seconds, ISO dates (midnight UTC) or "+10d" after the chain's current time.

${CONNECTION_HELP}

Exit codes: 0 done; 1 refused by the contract or the node failed; 2 bad arguments or files (nothing sent).`;

/** viem decodes small integers as numbers; these tools print them as ethers did (bigints, shown as strings in JSON). */
function bigints<T extends Record<string, unknown>>(struct: T): { [K in keyof T]: T[K] extends number ? bigint : T[K] } {
  return Object.fromEntries(Object.entries(struct).map(([k, v]) => [k, typeof v === "number" ? BigInt(v) : v])) as never;
}

async function programmeAt(conn: Connection, address: string | undefined) {
  if (!address || !isAddress(address)) throw badInput(`--programme must be an address${address ? `, got ${address}` : ""}`);
  const lib = await loadLib();
  const d = await deploymentOf(conn);
  const factoryAddress = d.contracts.AidRosterFactory?.address;
  if (!factoryAddress) throw new CliError(`No AidRosterFactory is deployed on chain ${conn.chainId}: deploy the PrecisionAidRoster module first.`);
  const factory = { address: factoryAddress as Address, abi: lib.aidRosterFactoryAbi } as const;
  // Only programmes the factory created are genuine; anything else could say anything.
  if (!(await conn.client.readContract({ ...factory, functionName: "isProgramme", args: [address] })))
    throw badInput(`${address} is not a programme created by the AidRosterFactory at ${factoryAddress}`);
  const programme = { address: getAddress(address), abi: lib.aidRosterProgrammeAbi } as const;
  const read = {
    roster: async () => bigints(await conn.client.readContract({ ...programme, functionName: "roster" })),
    terms: async () => bigints(await conn.client.readContract({ ...programme, functionName: "terms" })),
    ledger: async () => bigints(await conn.client.readContract({ ...programme, functionName: "ledger" })),
    status: async () => BigInt(await conn.client.readContract({ ...programme, functionName: "status" })),
    objectionStatus: async (version: bigint, index: bigint) =>
      BigInt(await conn.client.readContract({ ...programme, functionName: "objectionStatus", args: [Number(version), index] })),
  };
  return { programme, read, factory, lib };
}

async function tokenLabel(conn: Connection, token: string) {
  if (token === zeroAddress) return { symbol: "ETH", decimals: 18 };
  const c = { address: token as Address, abi: erc20Abi } as const;
  return { symbol: String(await conn.client.readContract({ ...c, functionName: "symbol" })), decimals: Number(await conn.client.readContract({ ...c, functionName: "decimals" })) };
}

function readJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw badInput(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("not an object");
    return v;
  } catch (error) {
    throw badInput(`${file}: (file): not a JSON object (${(error as Error).message})`);
  }
}

export { resolveProgrammeTerms };

async function create(conn: Connection, o: Record<string, unknown>): Promise<number> {
  if (typeof o.terms !== "string") throw badInput("create needs --terms <terms.json>");
  const lib = await loadLib();
  const d = await deploymentOf(conn);
  const factoryAddress = d.contracts.AidRosterFactory?.address;
  if (!factoryAddress) throw new CliError(`No AidRosterFactory is deployed on chain ${conn.chainId}: deploy the PrecisionAidRoster module first.`);
  const block = await conn.client.getBlock();
  const terms = resolveProgrammeTerms(o.terms, readJson(o.terms), { now: Number(block.timestamp), stablecoin: d.contracts.TestStablecoin?.address });
  const receipt = await send(conn, { address: factoryAddress as Address, abi: lib.aidRosterFactoryAbi, functionName: "createProgramme", args: [terms] });
  const [event] = parseEventLogs({ abi: lib.aidRosterFactoryAbi, logs: receipt.logs, eventName: "ProgrammeCreated" });
  const result = { id: event?.args.id, programme: event?.args.programme, tx: receipt.transactionHash };
  console.log(o.json ? toJson(result) : `programme #${result.id} created at ${result.programme} (tx ${result.tx})`);
  return EXIT.OK;
}

async function publish(conn: Connection, o: Record<string, unknown>): Promise<number> {
  if (typeof o.dir !== "string") throw badInput("publish needs --dir <roster build dir>");
  if (typeof o.uri !== "string" || o.uri.length === 0) throw badInput("publish needs --uri <where roster.proofs will be served>");
  const { programme, read } = await programmeAt(conn, o.programme as string);
  const build = await readRosterBuild(o.dir);
  const tranches = BigInt((await read.terms()).trancheUnlockTimes.length);
  const total = build.totalPerTranche * tranches;
  const receipt = await send(conn, { ...programme, functionName: "publishRoster", args: [build.root, build.leafCount, total, o.uri, build.contentHash] });
  const info = await read.roster();
  const result = { version: info.version, root: build.root, leafCount: build.leafCount, rosterTotal: total, uri: o.uri, contentHash: build.contentHash, tx: receipt.transactionHash };
  console.log(o.json ? toJson(result) : table([result as never]));
  return EXIT.OK;
}

async function signApproval(conn: Connection, o: Record<string, unknown>): Promise<number> {
  if (typeof o.out !== "string") throw badInput("sign-approval needs --out <approval.json>");
  const { programme, read } = await programmeAt(conn, o.programme as string);
  const roster = await read.roster();
  if (roster.version === 0n) throw new CliError("the programme has no published roster to approve");
  if (typeof o.dir === "string") {
    // An official's signature vouches for the file: check the chain names the roster they examined.
    const build = await readRosterBuild(o.dir);
    const mismatch = [
      ["root", build.root, roster.root.toLowerCase()],
      ["rows", String(build.leafCount), String(roster.leafCount)],
      ["files.proofs.sha256", build.contentHash, roster.contentHash.toLowerCase()],
    ].find(([, local, chain]) => local !== chain);
    if (mismatch) throw badInput(`${o.dir}/summary.json: ${mismatch[0]}: the built roster has ${mismatch[1]} but the programme's roster v${roster.version} has ${mismatch[2]}; not signing`);
  }
  const now = Number((await conn.client.getBlock()).timestamp);
  const deadlineText = typeof o.deadline === "string" ? o.deadline : `+${Number(DEFAULT_APPROVAL_LIFETIME) / 86_400}d`;
  const deadline = parseTime(deadlineText, { now });
  if (deadline === undefined) throw badInput(`--deadline must be unix seconds, an ISO date or "+<n>d", got ${deadlineText}`);
  if (deadline <= now) throw badInput(`--deadline ${deadlineText} is not after the chain's time (${new Date(now * 1000).toISOString()})`);
  const wallet = await conn.wallet();
  const record = await signRootApproval(
    { address: wallet.account.address, signTypedData: (typedData) => wallet.signTypedData(typedData) },
    conn.chainId,
    programme.address,
    roster,
    BigInt(deadline),
  );
  writeFileSync(o.out, `${JSON.stringify(record, null, 2)}\n`);
  if (o.json) console.log(toJson(record));
  else {
    console.log(`${record.official} approved roster v${record.version} (root ${record.root}) of ${record.programme}, valid until ${new Date(deadline * 1000).toISOString()}`);
    console.log(`digest ${rootApprovalDigest(conn.chainId, record.programme, roster, BigInt(deadline))}; wrote ${o.out}`);
  }
  return EXIT.OK;
}

async function approve(conn: Connection, o: Record<string, unknown>, files: string[]): Promise<number> {
  if (files.length === 0) throw badInput("approve needs the officials' approval files");
  const { programme, read } = await programmeAt(conn, o.programme as string);
  const roster = await read.roster();
  const threshold = Number((await read.terms()).threshold);
  const records = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw badInput(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return { file, record: parseApprovalRecord(text, file) };
  });
  const now = (await conn.client.getBlock()).timestamp;
  const { officials, signatures, deadline } = await assembleApprovals(
    records,
    { chainId: conn.chainId, programme: programme.address, roster, threshold, now },
    async (a) => (await conn.client.getCode({ address: a as Address })) !== undefined,
  );
  const receipt = await send(conn, { ...programme, functionName: "approveRoot", args: [officials as Address[], signatures as Hex[], deadline] });
  const after = await read.roster();
  const opens = new Date(Number(after.claimsOpenAt) * 1000).toISOString();
  console.log(o.json ? toJson({ version: after.version, officials, claimsOpenAt: after.claimsOpenAt, tx: receipt.transactionHash }) : `roster v${after.version} approved by ${officials.join(", ")}; objections until ${opens}, claims from then on (tx ${receipt.transactionHash})`);
  return EXIT.OK;
}

async function status(conn: Connection, o: Record<string, unknown>): Promise<number> {
  const { read } = await programmeAt(conn, o.programme as string);
  const [terms, roster, ledger, s] = await Promise.all([read.terms(), read.roster(), read.ledger(), read.status()]);
  const token = await tokenLabel(conn, terms.token);
  const amount = (v: bigint) => `${formatUnits(v, token.decimals)} ${token.symbol}`;
  const result = {
    status: PROJECT_STATUSES[Number(s)],
    rosterVersion: roster.version,
    root: roster.root,
    households: roster.leafCount,
    uri: roster.uri,
    contentHash: roster.contentHash,
    claimsOpenAt: roster.claimsOpenAt === 0n ? "not approved" : new Date(Number(roster.claimsOpenAt) * 1000).toISOString(),
    threshold: terms.threshold,
    raised: amount(ledger.raised),
    rosterTotal: amount(ledger.rosterTotal),
    held: amount(ledger.held),
    refunded: amount(ledger.refunded),
    donors: ledger.donors,
  };
  console.log(o.json ? toJson(result) : Object.entries(result).map(([k, v]) => `${k.padEnd(14)}${v}`).join("\n"));
  return EXIT.OK;
}

async function rule(conn: Connection, o: Record<string, unknown>): Promise<number> {
  if (typeof o.index !== "string" || !/^\d+$/.test(o.index)) throw badInput("rule needs --index <leaf index>");
  if (Boolean(o.uphold) === Boolean(o.dismiss)) throw badInput("rule needs exactly one of --uphold or --dismiss");
  if (typeof o.tree !== "string") throw badInput("rule needs --tree <dir>/roster.tree (the published roster's tree file)");
  const { programme, read } = await programmeAt(conn, o.programme as string);
  const roster = await read.roster();
  let tree;
  try {
    tree = decodeTreeFile(readFileSync(o.tree));
  } catch (error) {
    throw badInput(`${o.tree}: (file): ${(error as Error).message}`);
  }
  if (tree.root.toLowerCase() !== roster.root.toLowerCase()) {
    throw badInput(`${o.tree}: root: the file's root is ${tree.root} but the programme's roster v${roster.version} has ${roster.root}`);
  }
  const index = BigInt(o.index);
  let row = -1;
  // A linear scan by index: rulings are rare and the tree file keeps rows in input order.
  for (let r = 0; r < tree.count && row < 0; r++) if (tree.value(r).index === index) row = r;
  if (row < 0) throw badInput(`${o.tree}: index: no leaf has index ${index}`);
  const status = Number(await read.objectionStatus(roster.version, index));
  if (status !== 1) throw new CliError(`leaf ${index} of roster v${roster.version} has no pending objection (it is ${OBJECTION_STATUSES[status]})`);
  const leaf = tree.value(row);
  const receipt = await send(conn, { ...programme, functionName: "ruleOnObjection", args: [index, Boolean(o.uphold), leaf.beneficiary as Address, leaf.amount, tree.proof(row) as Hex[]] });
  const result = { index, upheld: Boolean(o.uphold), beneficiary: leaf.beneficiary, rosterTotal: (await read.roster()).rosterTotal, tx: receipt.transactionHash };
  console.log(o.json ? toJson(result) : `objection to leaf ${index} ${result.upheld ? "upheld: the leaf is excluded" : "dismissed: the leaf may be claimed again"} (tx ${receipt.transactionHash})`);
  return EXIT.OK;
}

async function cancel(conn: Connection, o: Record<string, unknown>): Promise<number> {
  const { programme } = await programmeAt(conn, o.programme as string);
  if (o.withdraw) {
    const receipt = await send(conn, { ...programme, functionName: "withdrawCancellation", args: [] });
    console.log(o.json ? toJson({ withdrawn: true, tx: receipt.transactionHash }) : `your cancellation half is withdrawn (tx ${receipt.transactionHash})`);
    return EXIT.OK;
  }
  const receipt = await send(conn, { ...programme, functionName: "approveCancellation", args: [] });
  const cancelled = parseEventLogs({ abi: programme.abi, logs: receipt.logs, eventName: "ProgrammeCancelled" }).length > 0;
  console.log(
    o.json
      ? toJson({ cancelled, tx: receipt.transactionHash })
      : cancelled
        ? `cancellation approved; the programme is cancelled: claims are closed and donors can take their refunds (tx ${receipt.transactionHash})`
        : `cancellation approved; it needs the other half (the programme's manager, or a reviewer, from another account) ${halfLifeText(receipt.logs, programme.abi)} to take effect (tx ${receipt.transactionHash})`,
  );
  return EXIT.OK;
}

/** When the half just approved lapses, from its CancellationApproved event. */
function halfLifeText(logs: Parameters<typeof parseEventLogs>[0]["logs"], abi: Parameters<typeof parseEventLogs>[0]["abi"]): string {
  const [approved] = parseEventLogs({ abi, logs, eventName: "CancellationApproved" }) as unknown as { args: { expiresAt: number } }[];
  return approved ? `before ${new Date(Number(approved.args.expiresAt) * 1000).toISOString()}` : "within 7 days";
}

/** Runs one chain command; returns the exit code (errors are turned into sentences by the caller). */
export async function runChainCommand(command: (typeof CHAIN_COMMANDS)[number], argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: command === "approve",
      options: {
        ...CONNECTION_OPTIONS,
        programme: { type: "string" },
        dir: { type: "string" },
        uri: { type: "string" },
        out: { type: "string" },
        terms: { type: "string" },
        index: { type: "string" },
        uphold: { type: "boolean" },
        dismiss: { type: "boolean" },
        tree: { type: "string" },
        deadline: { type: "string" },
        withdraw: { type: "boolean" },
      },
    });
  } catch (error) {
    throw badInput((error as Error).message);
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return EXIT.OK;
  }
  const conn = await connect(o);
  try {
    if (command === "create") return await create(conn, o);
    if (command === "publish") return await publish(conn, o);
    if (command === "sign-approval") return await signApproval(conn, o);
    if (command === "approve") return await approve(conn, o, positionals);
    if (command === "rule") return await rule(conn, o);
    if (command === "cancel") return await cancel(conn, o);
    return await status(conn, o);
  } catch (error) {
    if (error instanceof RosterInputError) throw badInput(error.message);
    throw error;
  } finally {
    await conn.close();
  }
}
