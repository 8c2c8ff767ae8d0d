/**
 * One household's aid, read on the server for the household page (issue 9, item 5): every escrow project
 * it is enrolled in (by the commitment the registry binds to its account) and every roster programme
 * whose current roster names its account (its record read from the published file with three range
 * reads and checked against the on-chain root), each folded into lib/household/owed.ts. Node only; the
 * browser gets the rendered page and, for claims, the few values a claim needs.
 */
import type { Address, Hex } from "viem";
import { zeroHash } from "viem";
import { aidEscrowAbi } from "../generated/aidEscrow.ts";
import { aidRegistryAbi } from "../generated/aidRegistry.ts";
import { aidRosterProgrammeAbi } from "../generated/aidRosterProgramme.ts";
import { readClient, readView } from "../chain/client.ts";
import { defaultChainId, deploymentOn } from "../chain/deployments.ts";
import { ETH_INFO, isEth, type TokenInfo } from "../chain/tokens.ts";
import { buildAttesterProof, currentAttestations, type AttestationRecord } from "../escrow/events.ts";
import { OBJECTION_STATUSES } from "../roster/status.ts";
import { localMetadata, pseudonym } from "../format/text.ts";
import { householdPublicity, type HouseholdPublicity } from "../escrow/status.ts";
import { rosterPseudonym } from "../roster/households.ts";
import { eligibilityLapse, escrowTranches, renewBy, rosterTranches, type OwedItem } from "../household/owed.ts";
import { loadEscrow } from "./escrow.ts";

/** The escrow's books at the latest block, as the escrow pages read them (one read per block, ./escrow.ts). */
const escrowNow = () => loadEscrow().then((r) => (r.ok ? { chainId: r.view.chainId, snapshot: r.view } : undefined));
import { loadProgrammes, tokenInfoOf } from "./roster.ts";
import { accountRecord } from "./rosterHouseholds.ts";

export interface EscrowHolding {
  item: OwedItem;
  projectId: string;
  commitment: Hex;
  /** How the project's public pages name this household. */
  listedAs: string;
  enrolment: string;
  enrolledAt: number;
  enrolledBy: Address;
  /** The publicity window and objection by the one rule the project page uses too (issue 9, item 7). */
  publicity: HouseholdPublicity;
  threshold: number;
  /** The project's conditions with the household's attestations (the basis, for "details"). */
  basis: { condition: Hex; attestations: AttestationRecord[] }[];
  /** A fresh eligibility proof for a claim (ascending attesters per condition), or undefined. */
  attesters?: Address[];
  objections: number;
}

export interface RosterHolding {
  item: OwedItem;
  programme: Address;
  index: string;
  amount: string;
  proof: Hex[];
  listedAs: string;
  root: Hex;
  version: number;
  claimsOpenAt: number;
}

export interface HouseholdAid {
  account: Address;
  chainId: number;
  now: number;
  /** The registry's commitment bound to the account; undefined when none is. */
  commitment?: Hex;
  escrow: EscrowHolding[];
  roster: RosterHolding[];
  /** Roster programmes whose file could not be read or proven: the page says some aid may be missing. */
  unreadable: string[];
  tokens: Record<string, TokenInfo>;
  /** Part of the chain could not be read (the page says so rather than showing nothing). */
  partial: boolean;
}

export async function loadHouseholdAid(account: Address, selfOrigin: string, locale: string): Promise<HouseholdAid | undefined> {
  // Titles in the viewer's language when the metadata carries one (issue 9, item 8).
  const titleOf = (metadataURI: string) => localMetadata(metadataURI, locale)?.title;
  const chainId = defaultChainId();
  const d = deploymentOn(chainId);
  if (!d) return undefined;
  const client = readClient(chainId);
  const [snapshot, programmes, bound] = await Promise.all([
    escrowNow(),
    loadProgrammes().catch(() => undefined),
    readView(client, { address: d.registry, abi: aidRegistryAbi, functionName: "commitmentOf", args: [account] }).catch(() => undefined),
  ]);
  const commitment = bound && bound !== zeroHash ? bound : undefined;
  const tokens: Record<string, TokenInfo> = { ...(snapshot?.snapshot.tokens ?? {}) };
  const token = async (address: Address) => (tokens[address.toLowerCase()] ??= isEth(address) ? ETH_INFO : await tokenInfoOf(chainId, address));
  const now = programmes?.deployed ? programmes.now : (snapshot?.snapshot.now ?? Math.floor(Date.now() / 1000));

  const escrow: EscrowHolding[] = [];
  if (snapshot && commitment) {
    const { books } = snapshot.snapshot;
    const enrolled = [...books.projects.values()].filter((p) => p.households.has(commitment));
    const views = await Promise.all(
      enrolled.map((p) => readView(client, { address: d.escrow, abi: aidEscrowAbi, functionName: "enrolment", args: [p.projectId, commitment] }).catch(() => undefined)),
    );
    const attested = currentAttestations(books, commitment);
    for (const [i, p] of enrolled.entries()) {
      const b = p.households.get(commitment)!;
      const isActive = (o: Address) => books.officials.get(o.toLowerCase() as Address)?.active ?? true;
      const lapse = eligibilityLapse(attested, p.terms.conditions, p.terms.threshold, snapshot.snapshot.now, isActive);
      const tranches = escrowTranches(p, b, views[i] ? Number(views[i]!.settledMask) : undefined, lapse, snapshot.snapshot.now);
      await token(p.terms.token);
      escrow.push({
        item: {
          kind: "escrow",
          key: `escrow:${p.projectId}`,
          // "#4 Danxi school meals", as every page and confirmation names a project.
          title: titleOf(p.terms.metadataURI) ? `#${p.projectId} ${titleOf(p.terms.metadataURI)}` : `#${p.projectId}`,
          token: p.terms.token,
          tranches,
          renewBy: b.status === "Enrolled" ? renewBy(tranches, lapse, p.terms.claimDeadline) : undefined,
        },
        projectId: String(p.projectId),
        commitment,
        listedAs: pseudonym(commitment),
        enrolment: b.status,
        enrolledAt: b.enrolledAt,
        enrolledBy: b.enrolledBy,
        publicity: householdPublicity(b, snapshot.snapshot.now),
        threshold: p.terms.threshold,
        basis: p.terms.conditions.map((c) => ({ condition: c, attestations: attested.get(c) ?? [] })),
        attesters: buildAttesterProof(books, commitment, p.terms.conditions, p.terms.threshold, snapshot.snapshot.now, isActive),
        objections: b.objections.length,
      });
    }
  }

  const roster: RosterHolding[] = [];
  const unreadable: string[] = [];
  if (programmes?.deployed) {
    await Promise.all(
      programmes.programmes
        .filter((s) => s.version > 0)
        .map(async (s) => {
          try {
            const [terms, info, paused] = await Promise.all([
              readView(client, { address: s.address, abi: aidRosterProgrammeAbi, functionName: "terms" }),
              readView(client, { address: s.address, abi: aidRosterProgrammeAbi, functionName: "roster" }),
              readView(client, { address: s.address, abi: aidRosterProgrammeAbi, functionName: "paused" }),
            ]);
            const version = Number(info.version);
            const record = await accountRecord({ uri: info.uri, root: info.root, version }, account, selfOrigin);
            if (record.state === "notOnRoster") return;
            if (record.state !== "found") {
              unreadable.push(titleOf(s.metadataURI) ?? s.address);
              return;
            }
            const unlocks = terms.trancheUnlockTimes.map(Number);
            const [objection, settled] = await Promise.all([
              readView(client, { address: s.address, abi: aidRosterProgrammeAbi, functionName: "objectionStatus", args: [version, record.index] }),
              Promise.all(unlocks.map((_, i) => readView(client, { address: s.address, abi: aidRosterProgrammeAbi, functionName: "isSettled", args: [record.index, BigInt(i)] }))),
            ]);
            await token(s.token);
            roster.push({
              item: {
                kind: "roster",
                key: `roster:${s.address}`,
                title: titleOf(s.metadataURI) ?? s.address,
                token: s.token,
                tranches: rosterTranches({
                  now,
                  amount: record.amount,
                  trancheUnlockTimes: unlocks,
                  claimsOpenAt: Number(info.claimsOpenAt),
                  claimDeadline: Number(terms.claimDeadline),
                  cancelled: s.status === "Cancelled",
                  paused,
                  settled,
                  objection: OBJECTION_STATUSES[Number(objection)] ?? "None",
                }),
              },
              programme: s.address,
              index: record.index.toString(),
              amount: record.amount.toString(),
              proof: record.proof,
              listedAs: rosterPseudonym(account),
              root: info.root,
              version,
              claimsOpenAt: Number(info.claimsOpenAt),
            });
          } catch {
            unreadable.push(titleOf(s.metadataURI) ?? s.address);
          }
        }),
    );
    roster.sort((a, b) => a.item.title.localeCompare(b.item.title));
  }
  return { account, chainId, now, commitment, escrow, roster, unreadable, tokens, partial: !snapshot || !programmes || bound === undefined };
}
