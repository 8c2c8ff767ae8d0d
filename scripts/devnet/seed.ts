/**
 * Plays a demo scenario (demo/scenario.json) against a fresh local chain: roles, officials, households
 * (as commitments only), projects in every state, donations in ETH and tUSD (one by permit), claims, an
 * exit with revoked attestations, a cancellation with refunds waiting and a pending objection.
 *
 * Uses the dev node's unlocked accounts (viem wallet clients over JSON-RPC accounts), so no keys are
 * handled here. Chain time moves with evm_increaseTime + evm_mine, which only a dev node accepts.
 */
import { getAddress, keccak256, parseEther, parseUnits, toBytes, zeroAddress, type Abi, type Address, type Hex } from "viem";
import { type RosterSeedOptions, type SeededRoster, rosterStep } from "./roster-seed.ts";
import type { DevChain } from "./chain.ts";
import { metadataURI, textToBytes32 } from "../../lib/format/text.ts";
import { householdCommitment } from "../../lib/registry/household.ts";
import { permitTypedData, permitVrs } from "../../lib/chain/permit.ts";
import { checkObjectionText, objectionTextHash } from "../../lib/objections/text.ts";
import { bindIdentityTypedData } from "../../lib/registry/typed-data.ts";
import { exitApprovalTypedData } from "../../lib/escrow/typed-data.ts";

type Ref = { account: number; label?: string };
/** An official's public profile, recorded on chain at appointment (docs/DECISIONS.md R9). */
type OfficialRef = Ref & { profile: { name: string; office: string; jurisdiction: string } };

export interface Scenario {
  title: string;
  roles: { admin: number; manager: number; reviewer: number; guardian: number };
  officials: Record<string, OfficialRef>;
  donors: Record<string, Ref>;
  villagers: Record<string, Ref>;
  /** nameZh: the village's name in Chinese, shown by the dApp in zh-CN. */
  villages: Record<string, { name: string; nameZh?: string; region: string }>;
  /** Synthetic households: an ID number (of `idKind`, default cn-ric) and a fixed 0x + 64-hex salt each. */
  households: Record<string, { village: string; account: number; idNumber: string; salt: Hex; idKind?: string }>;
  stablecoin: { mint: Record<string, string> };
  steps: Step[];
}

type Step = { do: string; [key: string]: any };

export interface SeedResult {
  projects: Record<string, { projectId: number; title: string; token: string; village: string }>;
  households: Record<string, { commitment: string; account: string; village: string }>;
  accounts: { index: number; address: string; role: string; label: string }[];
  notes: string[];
  /** Roster programmes (issue 5) by scenario key. */
  rosters: Record<string, SeededRoster>;
}

/** keccak256 of a text (a condition name, an evidence or reason label): what ethers calls id(). */
const id = (text: string): Hex => keccak256(toBytes(text));

const DAY = 24 * 60 * 60;

export async function seedScenario(
  chain: DevChain,
  contracts: { registry: string; escrow: string; stablecoin: string; rosterFactory?: string },
  abis: { registry: Abi; escrow: Abi; stablecoin: Abi; rosterFactory?: Abi; rosterProgramme?: Abi },
  scenario: Scenario,
  log: (line: string) => void = () => {},
  rosterOptions?: RosterSeedOptions,
  /** Where objection reasons are published (the dApp's store), so reviewers can read the seeded ones. */
  reasons?: { put(text: string): Promise<unknown> },
): Promise<SeedResult> {
  const addresses = chain.addresses;
  const signerAt = async (i: number) => {
    if (i >= addresses.length) throw new Error(`scenario uses account #${i} but the node has ${addresses.length}`);
    return i;
  };
  const at = (address: string, abi: Abi) => (i: number) => chain.contract(i, address as Address, abi);
  const registry = at(contracts.registry, abis.registry);
  const escrow = at(contracts.escrow, abis.escrow);
  const token = at(contracts.stablecoin, abis.stablecoin);
  const send = async (p: Promise<unknown>) => p;
  const chainNow = chain.now;
  /** An objection's reason, published as the dApp's form does it: checked, stored, then its hash on chain. */
  const reasonHash = async (text: string) => {
    const problem = checkObjectionText(text);
    if (problem) throw new Error(`scenario: objection reason "${text}" would be refused (${problem})`);
    await reasons?.put(text);
    return objectionTextHash(text);
  };

  const official = (key: string) => {
    const o = scenario.officials[key];
    if (!o) throw new Error(`scenario: unknown official "${key}"`);
    return o.account;
  };
  /**
   * The officials a k-of-n step names (`by`: a list), sorted ascending by address as the contracts want
   * them; the first of the step's own order submits.
   */
  const officialsOf = (step: Step) => {
    if (!Array.isArray(step.by) || step.by.length === 0) {
      throw new Error(`scenario: step "${step.do}" needs "by": a list of the officials who sign (k of them), got ${JSON.stringify(step.by)}`);
    }
    const accounts = (step.by as string[]).map(official);
    const signers = [...accounts].sort((a, b) => (BigInt(addresses[a]) < BigInt(addresses[b]) ? -1 : 1));
    return { submitter: accounts[0], signers, addresses: signers.map((i) => addresses[i]) };
  };
  const donor = (key: string) => {
    const d = scenario.donors[key];
    if (!d) throw new Error(`scenario: unknown donor "${key}"`);
    return d.account;
  };
  const household = (key: string) => {
    const h = scenario.households[key];
    if (!h) throw new Error(`scenario: unknown household "${key}"`);
    let commitment: Hex;
    try {
      commitment = householdCommitment(h.idNumber, h.salt, h.idKind);
    } catch (err) {
      throw new Error(`scenario: household "${key}": ${(err as Error).message}`);
    }
    return { ...h, commitment };
  };

  const result: SeedResult = { projects: {}, households: {}, accounts: [], notes: [], rosters: {} };
  const rosters: Record<string, SeededRoster & { tranches: number }> = {};
  const rosterEnv = async () => {
    if (!contracts.rosterFactory || !abis.rosterFactory || !abis.rosterProgramme || !rosterOptions)
      throw new Error("scenario: roster steps need the roster factory and a folder for the roster files");
    return {
      chain,
      addresses,
      signerAt,
      chainNow,
      chainId: BigInt(chain.chainId),
      contracts: { stablecoin: contracts.stablecoin, rosterFactory: contracts.rosterFactory },
      abis: { rosterFactory: abis.rosterFactory, rosterProgramme: abis.rosterProgramme, stablecoin: abis.stablecoin },
      managerAccount: scenario.roles.manager,
      official,
      donor,
      objector: (key: string) => {
        const o = scenario.villagers[key] ?? scenario.donors[key];
        if (!o) throw new Error(`scenario: unknown objector "${key}"`);
        return o.account;
      },
      householdAccount: (key: string) => household(key).account,
      householdVillage: (key: string) => scenario.villages[household(key).village]?.name ?? household(key).village,
      villages: Object.values(scenario.villages).map((v) => v.name),
      reasonHash,
      send,
    };
  };
  // Which officials attested what, so enrolments can pass the ascending attester list the registry checks.
  const attestedBy = new Map<string, Set<string>>(); // commitment|condition -> official addresses

  // ------------------------------------------------------------------ roles
  const admin = await signerAt(scenario.roles.admin);
  const reg = registry(admin);
  await send(reg.grantRole(await reg.read("MANAGER_ROLE"), addresses[scenario.roles.manager]));
  await send(reg.grantRole(await reg.read("REVIEWER_ROLE"), addresses[scenario.roles.reviewer]));
  await send(reg.grantRole(await reg.read("GUARDIAN_ROLE"), addresses[scenario.roles.guardian]));
  for (const [key, o] of Object.entries(scenario.officials)) {
    if (!o.profile?.name) throw new Error(`scenario: official "${key}" needs a profile with at least a name`);
    await send(reg.addOfficial(addresses[o.account], { name: o.profile.name, office: o.profile.office ?? "", jurisdiction: o.profile.jurisdiction ?? "" }));
  }
  await send(escrow(admin).setTokenAllowed(contracts.stablecoin, true));
  for (const [key, amount] of Object.entries(scenario.stablecoin.mint)) {
    await send(token(admin).mint(addresses[donor(key)], parseUnits(amount, 6)));
  }

  const projectKey = (key: string) => {
    const p = result.projects[key];
    if (!p) throw new Error(`scenario: project "${key}" is used before it is created`);
    return p;
  };

  for (const step of scenario.steps) {
    switch (step.do) {
      case "note":
        result.notes.push(step.text);
        log(step.text);
        break;
      case "advance":
        await chain.advance(Math.round(step.days * DAY));
        break;
      case "bind": {
        // k officials sign each binding (EIP-712 BindIdentity); one transaction carries them all.
        const k = officialsOf(step);
        const deadline = BigInt((await chainNow()) + DAY);
        const by = registry(await signerAt(k.submitter));
        for (const key of step.households) {
          const h = household(key);
          const message = { commitment: h.commitment as Hex, account: addresses[h.account], deadline };
          const signatures = [];
          for (const i of k.signers) signatures.push(await chain.signTypedData(i, bindIdentityTypedData(chain.chainId, contracts.registry, message)));
          await send(by.bindIdentity(h.commitment, addresses[h.account], deadline, k.addresses, signatures));
          result.households[key] = { commitment: h.commitment, account: addresses[h.account], village: h.village };
        }
        break;
      }
      case "attest": {
        const expiry = (await chainNow()) + Math.round(step.expiresInDays * DAY);
        for (const by of step.by as string[]) {
          const rows = [];
          for (const key of step.households) {
            const h = household(key);
            for (const c of step.conditions) {
              rows.push({
                commitment: h.commitment,
                conditionId: id(c),
                expiry,
                evidenceHash: id(`evidence:${h.idNumber}:${c}`),
                score: step.score ?? 0,
              });
              const k = `${h.commitment}|${id(c)}`;
              if (!attestedBy.has(k)) attestedBy.set(k, new Set());
              attestedBy.get(k)!.add(addresses[official(by)]);
            }
          }
          // attestBatch: one village round per official, as the attest CLI sends it.
          await send(registry(await signerAt(official(by))).attestBatch(rows));
        }
        break;
      }
      case "createProject": {
        const now = await chainNow();
        const village = scenario.villages[step.village];
        if (!village) throw new Error(`scenario: unknown village "${step.village}"`);
        const isEth = step.token === "ETH";
        const terms = {
          token: isEth ? zeroAddress : contracts.stablecoin,
          category: textToBytes32(step.category),
          region: textToBytes32(village.region),
          metadataURI: metadataURI({ title: step.title, village: village.name, i18n: { "zh-CN": { title: step.titleZh, village: village.nameZh } } }),
          conditions: (step.conditions as string[]).map((c) => id(c)),
          threshold: step.threshold,
          amountPerTranche: isEth ? parseEther(step.amountPerTranche) : parseUnits(step.amountPerTranche, 6),
          trancheUnlockTimes: (step.unlockDays as number[]).map((d) => now + d * DAY),
          maxBeneficiaries: step.maxBeneficiaries,
          fundingDeadline: now + step.fundingDays * DAY,
          claimDeadline: now + step.claimDays * DAY,
          publicityWindow: step.publicityWindowDays * DAY,
        };
        const esc = escrow(await signerAt(scenario.roles.manager));
        await send(esc.createProject(terms));
        const projectId = Number(await esc.read("projectCount"));
        result.projects[step.key] = { projectId, title: step.title, token: step.token, village: step.village };
        break;
      }
      case "donate": {
        const p = projectKey(step.project);
        const s = await signerAt(donor(step.donor));
        // A donation names the terms version the donor saw (docs/DECISIONS.md E8).
        const version = await escrow(s).read("termsVersion", [BigInt(p.projectId)]);
        if (p.token === "ETH") {
          await send(escrow(s).donate(p.projectId, version, { value: parseEther(step.amount) }));
        } else {
          const amount = parseUnits(step.amount, 6);
          await send(token(s).approve(contracts.escrow, amount));
          await send(escrow(s).donateToken(p.projectId, amount, version));
        }
        break;
      }
      case "donateWithPermit": {
        const p = projectKey(step.project);
        const s = await signerAt(donor(step.donor));
        const amount = parseUnits(step.amount, 6);
        const tk = token(s);
        const deadline = BigInt((await chainNow()) + DAY);
        const owner = addresses[s] as Address;
        const signature = await chain.signTypedData(
          s,
          permitTypedData({
            name: await tk.read("name"),
            chainId: chain.chainId,
            token: contracts.stablecoin as Address,
            message: { owner, spender: contracts.escrow as Address, value: amount, nonce: await tk.read("nonces", [owner]), deadline },
          }),
        );
        const { v, r, s: sv } = permitVrs(signature);
        const version = await escrow(s).read("termsVersion", [BigInt(p.projectId)]);
        await send(escrow(s).donateWithPermit(p.projectId, amount, version, deadline, v, r, sv));
        break;
      }
      case "enrol": {
        const p = projectKey(step.project);
        const esc = escrow(await signerAt(official(step.by)));
        const terms = await esc.read("projectTerms", [BigInt(p.projectId)]);
        for (const key of step.households) {
          const h = household(key);
          const attesters: string[] = [];
          for (const c of terms.conditions as string[]) {
            const who = [...(attestedBy.get(`${h.commitment}|${c}`) ?? [])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
            attesters.push(...who.slice(0, Number(terms.threshold)));
          }
          await send(esc.enrol(p.projectId, h.commitment, attesters));
        }
        break;
      }
      case "object": {
        const p = projectKey(step.project);
        const objector = scenario.villagers[step.by] ?? scenario.donors[step.by];
        if (!objector) throw new Error(`scenario: unknown objector "${step.by}"`);
        await send(escrow(await signerAt(objector.account)).object(p.projectId, household(step.household).commitment, await reasonHash(step.reason)));
        break;
      }
      case "claim": {
        const p = projectKey(step.project);
        const h = household(step.household);
        await send(escrow(await signerAt(h.account)).claim(p.projectId, h.commitment, step.tranche, []));
        break;
      }
      case "exit": {
        // The project's k officials sign the exit of this enrolment (EIP-712 ExitApproval); anyone submits.
        const p = projectKey(step.project);
        const k = officialsOf(step);
        const commitment = household(step.household).commitment as Hex;
        const esc = escrow(await signerAt(k.submitter));
        const enrolment = await esc.read("enrolment", [BigInt(p.projectId), commitment]);
        const [, name, version, chainId, verifyingContract] = await esc.read("eip712Domain");
        const deadline = BigInt((await chainNow()) + DAY);
        const message = { projectId: BigInt(p.projectId), commitment, reasonHash: id(step.reason), enrolledAt: Number(enrolment.enrolledAt), deadline };
        const signatures = [];
        for (const i of k.signers) {
          signatures.push(await chain.signTypedData(i, exitApprovalTypedData({ name, version, chainId, verifyingContract }, message)));
        }
        await send(esc.recordExit(p.projectId, commitment, message.reasonHash, deadline, k.addresses, signatures));
        break;
      }
      case "revoke": {
        const h = household(step.household);
        const by = registry(await signerAt(official(step.by)));
        await send(by.revoke(h.commitment, id(step.condition), addresses[official(step.attester)], id(step.reason)));
        break;
      }
      case "cancel": {
        const p = projectKey(step.project);
        await send(escrow(await signerAt(scenario.roles.manager)).approveCancellation(p.projectId));
        await send(escrow(await signerAt(scenario.roles.reviewer)).approveCancellation(p.projectId));
        break;
      }
      case "refund": {
        const p = projectKey(step.project);
        await send(escrow(await signerAt(donor(step.donor))).refund(p.projectId));
        break;
      }
      default:
        if (!(step.do.endsWith("Roster") && (await rosterStep(step, await rosterEnv(), rosters, rosterOptions!))))
          throw new Error(`scenario: unknown step "${step.do}"`);
    }
  }

  for (const [key, r] of Object.entries(rosters)) {
    const { tranches: _, ...seeded } = r;
    result.rosters[key] = seeded;
  }

  // The accounts table printed by devnet.ts.
  const roleOf = new Map<number, { role: string; label: string }>();
  roleOf.set(scenario.roles.admin, { role: "admin", label: "deployer and default admin" });
  roleOf.set(scenario.roles.manager, { role: "manager", label: "programme manager" });
  roleOf.set(scenario.roles.reviewer, { role: "reviewer", label: "reviewer / auditor" });
  roleOf.set(scenario.roles.guardian, { role: "guardian", label: "pause guardian" });
  for (const o of Object.values(scenario.officials)) roleOf.set(o.account, { role: "official", label: o.label ?? "" });
  for (const d of Object.values(scenario.donors)) roleOf.set(d.account, { role: "donor", label: d.label ?? "" });
  for (const v of Object.values(scenario.villagers)) roleOf.set(v.account, { role: "villager", label: v.label ?? "" });
  for (const [key, h] of Object.entries(scenario.households)) {
    roleOf.set(h.account, { role: "beneficiary", label: `${key} (${scenario.villages[h.village]?.name ?? h.village})` });
  }
  result.accounts = [...roleOf.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, r]) => ({ index, address: addresses[index], ...r }));
  return result;
}
