/**
 * The roster programme steps of the demo scenario (issue 5): create a programme through the factory,
 * fund it, build its roster with lib/roster (the code behind `npm run roster build`), publish the root
 * with the file's URI and content hash, approve it with k officials' EIP-712 signatures in one
 * transaction, and object to a leaf during the publicity window.
 *
 * The roster holds the scenario's own households (their dev accounts can claim in the dApp) plus
 * deterministic synthetic households (addresses derived from a hash, nobody holds their keys), so the
 * programme looks like a county one without slowing the seed: a few hundred rows build in milliseconds.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getAddress, keccak256, parseEther, parseUnits, toBytes, zeroAddress, type Abi, type Address } from "viem";
import type { DevChain } from "./chain.ts";
import { metadataURI, textToBytes32 } from "../../lib/format/text.ts";
import { RosterParser, buildRosterTree, encodeProofsFile, encodeTreeFile, keccak256Hasher } from "../../lib/roster/index.ts";
import { readRosterBuild, signRootApproval } from "../../lib/roster/lifecycle.ts";
import { HOUSEHOLD_LIST_FILE, encodeHouseholdList } from "../../lib/roster/households.ts";

const DAY = 24 * 60 * 60;
/** keccak256 of a text (ethers' id()). */
const id = (text: string) => keccak256(toBytes(text));

export interface RosterSeedOptions {
  /** Where the roster files are written (the dApp serves this folder at rosterBaseUrl). */
  rosterDir: string;
  /** The URL prefix the published URIs start with. */
  rosterBaseUrl: string;
}

export interface SeededRoster {
  programme: string;
  title: string;
  token: "ETH" | "tUSD";
  leafCount: number;
  root: string;
  uri: string;
  contentHash: string;
  claimsOpenAt?: number;
  /** Scenario household key -> its leaf (index and amount per tranche, base units). */
  households: Record<string, { index: number; account: string; amount: string }>;
}

interface Env {
  chain: DevChain;
  addresses: string[];
  signerAt: (i: number) => Promise<number>;
  chainNow: () => Promise<number>;
  chainId: bigint;
  contracts: { stablecoin: string; rosterFactory: string };
  abis: { rosterFactory: Abi; rosterProgramme: Abi; stablecoin: Abi };
  managerAccount: number;
  official: (key: string) => number;
  donor: (key: string) => number;
  objector: (key: string) => number;
  householdAccount: (key: string) => number;
  /** The village of a scenario household, by name, for the roster's public household list. */
  householdVillage: (key: string) => string;
  /** The scenario's villages: the synthetic households are spread over them. */
  villages: string[];
  /** Publishes an objection's reason (as the dApp's form does) and returns its hash. */
  reasonHash: (text: string) => Promise<`0x${string}`>;
  send: (p: Promise<unknown>) => Promise<unknown>;
}

type Step = { do: string; [key: string]: any };

/**
 * Lays out the roster CSV: scenario households first (indexes 0..), then the synthetic ones, spread over
 * the scenario's villages. The `household` column stands for what an officials' file holds beside the
 * public columns (a name, a register reference): `roster build` ignores it and never publishes it.
 */
export function rosterCsv(
  key: string,
  real: { key: string; account: string; amount: bigint; village: string }[],
  synthetic: { count: number; amounts: bigint[]; villages: string[] },
): string {
  const lines = ["index,beneficiary,amount,household,village"];
  real.forEach((h, i) => lines.push(`${i},${getAddress(h.account)},${h.amount},${h.key},${h.village}`));
  for (let s = 0; s < synthetic.count; s++) {
    // A hash, not a key: these households exist only to give the tree a county's shape.
    const account = getAddress(`0x${id(`${key}/synthetic-household/${s}`).slice(-40)}`);
    lines.push(`${real.length + s},${account},${synthetic.amounts[s % synthetic.amounts.length]},synthetic-${s},${synthetic.villages[s % synthetic.villages.length] ?? ""}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Builds the roster files with the library calls behind `roster build` (the same summary.json fields),
 * then reads them back as `roster publish` does (lib/roster/lifecycle.ts), which checks the proofs
 * file's sha256: that is the content hash the officials sign.
 */
export async function buildRosterFiles(csv: string, outDir: string) {
  const keccak = await keccak256Hasher();
  const parser = new RosterParser(keccak);
  parser.push(csv);
  const parsed = parser.finish();
  if (!parsed.ok) throw new Error(`roster CSV: ${parsed.errors.map((e) => `line ${e.line} ${e.field}: ${e.message}`).join("; ")}`);
  const tree = buildRosterTree(parsed.rows, keccak);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "households.csv"), csv);
  writeFileSync(join(outDir, "roster.tree"), Buffer.concat(encodeTreeFile(tree)));
  // encodeProofsFile reuses its chunk buffer, so copy each piece before the next one is made.
  const proofs = Buffer.concat([...encodeProofsFile(tree)].map((part) => Buffer.from(part)));
  writeFileSync(join(outDir, "roster.proofs"), proofs);
  writeFileSync(join(outDir, HOUSEHOLD_LIST_FILE), [...encodeHouseholdList(parsed.rows)].join(""));
  const sha256 = `0x${createHash("sha256").update(proofs).digest("hex")}`;
  writeFileSync(
    join(outDir, "summary.json"),
    `${JSON.stringify({ format: "precisionaid-roster-v1", root: tree.root, rows: tree.count, totalAmount: parsed.rows.totalAmount.toString(), depth: tree.depth, files: { proofs: { file: "roster.proofs", bytes: proofs.length, sha256 } } }, null, 2)}\n`,
  );
  return readRosterBuild(outDir);
}

/** Runs one roster step; returns false when the step is not a roster step. */
export async function rosterStep(step: Step, env: Env, rosters: Record<string, SeededRoster & { tranches: number }>, options: RosterSeedOptions): Promise<boolean> {
  const programmeOf = async (key: string, signer: number) => {
    const r = rosters[key];
    if (!r) throw new Error(`scenario: roster programme "${key}" is used before it is created`);
    return { r, c: env.chain.contract(signer, r.programme as Address, env.abis.rosterProgramme) };
  };
  const units = (token: string, amount: string) => (token === "ETH" ? parseEther(amount) : parseUnits(amount, 6));
  switch (step.do) {
    case "createRoster": {
      const now = await env.chainNow();
      const terms = {
        token: step.token === "ETH" ? zeroAddress : env.contracts.stablecoin,
        category: textToBytes32(step.category),
        region: textToBytes32(step.region),
        metadataURI: metadataURI({ title: step.title, region: step.regionName, i18n: { "zh-CN": { title: step.titleZh, region: step.regionNameZh } } }),
        trancheUnlockTimes: (step.unlockDays as number[]).map((d) => now + Math.round(d * DAY)),
        fundingDeadline: now + step.fundingDays * DAY,
        claimDeadline: now + step.claimDays * DAY,
        publicityWindow: Math.round(step.publicityWindowDays * DAY),
        threshold: step.threshold,
      };
      const factory = env.chain.contract(await env.signerAt(env.managerAccount), env.contracts.rosterFactory as Address, env.abis.rosterFactory);
      await env.send(factory.createProgramme(terms));
      const programme = getAddress(await factory.read("programmeAt", [await factory.read("programmeCount")]));
      rosters[step.key] = { programme, title: step.title, token: step.token, leafCount: 0, root: "", uri: "", contentHash: "", households: {}, tranches: terms.trancheUnlockTimes.length };
      return true;
    }
    case "donateRoster": {
      const s = await env.signerAt(env.donor(step.donor));
      const { r, c } = await programmeOf(step.roster, s);
      const amount = units(r.token, step.amount);
      if (r.token === "ETH") await env.send(c.donate({ value: amount }));
      else {
        await env.send(env.chain.contract(s, env.contracts.stablecoin as Address, env.abis.stablecoin).approve(r.programme, amount));
        await env.send(c.donateToken(amount));
      }
      return true;
    }
    case "publishRoster": {
      const { r, c } = await programmeOf(step.roster, await env.signerAt(env.managerAccount));
      const real = (step.households as string[]).map((key) => ({ key, account: env.addresses[env.householdAccount(key)], amount: units(r.token, step.amount), village: env.householdVillage(key) }));
      const csv = rosterCsv(step.roster, real, {
        count: step.synthetic ?? 0,
        amounts: ((step.syntheticAmounts ?? [step.amount]) as string[]).map((a) => units(r.token, a)),
        villages: env.villages,
      });
      const version = Number((await c.read("roster")).version) + 1;
      const folder = `${step.roster}-v${version}`;
      const built = await buildRosterFiles(csv, join(options.rosterDir, folder));
      const uri = `${options.rosterBaseUrl}/${folder}/roster.proofs`;
      await env.send(c.publishRoster(built.root, built.leafCount, built.totalPerTranche * BigInt(r.tranches), uri, built.contentHash));
      Object.assign(r, { root: built.root, leafCount: built.leafCount, uri, contentHash: built.contentHash });
      r.households = Object.fromEntries(real.map((h, i) => [h.key, { index: i, account: h.account, amount: h.amount.toString() }]));
      return true;
    }
    case "approveRoster": {
      const { r, c } = await programmeOf(step.roster, await env.signerAt(env.managerAccount));
      const info = await c.read("roster");
      // The contract wants the signers strictly ascending (that is how it knows they are distinct).
      const signers = (step.by as string[]).map((key) => env.official(key)).sort((a, b) => (BigInt(env.addresses[a]) < BigInt(env.addresses[b]) ? -1 : 1));
      // Valid for a day: the seed submits at once (docs/DECISIONS.md E14).
      const deadline = BigInt(await env.chainNow()) + 86_400n;
      const signatures: string[] = [];
      for (const i of signers) signatures.push((await signRootApproval(env.chain.signer(i), env.chainId, r.programme, info, deadline)).signature);
      await env.send(c.approveRoot(signers.map((i) => env.addresses[i]), signatures, deadline));
      r.claimsOpenAt = Number((await c.read("roster")).claimsOpenAt);
      return true;
    }
    case "objectRoster": {
      const { r, c } = await programmeOf(step.roster, await env.signerAt(env.objector(step.by)));
      const leaf = r.households[step.household];
      if (!leaf) throw new Error(`scenario: household "${step.household}" is not on roster "${step.roster}"`);
      await env.send(c.object(leaf.index, await env.reasonHash(step.reason)));
      return true;
    }
    default:
      return false;
  }
}
