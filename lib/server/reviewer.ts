/**
 * What a reviewer needs to rule (issue 9, item 3), read on the server for the reviewer page: every
 * objection awaiting a ruling, in projects (households under objection) and in roster programmes (leaves
 * of the current roster with a pending objection), each with its published reason (checked against the
 * hash on chain), the basis of the household's eligibility and who attested it, and what the ruling
 * transaction must carry (the enrolment's attesters; the roster leaf and its proof). Node only.
 */
import type { Address, Hex } from "viem";
import { currentAttestations, type AttestationRecord } from "../escrow/events.ts";
import { localMetadata, pseudonym } from "../format/text.ts";
import { rosterPseudonym } from "../roster/households.ts";
import { loadEscrow } from "./escrow.ts";

/** The escrow's books at the latest block, as the escrow pages read them (one read per block, ./escrow.ts). */
const escrowNow = () => loadEscrow().then((r) => (r.ok ? { chainId: r.view.chainId, snapshot: r.view } : undefined));
import { loadProgrammes, rosterChain, tokenInfoOf } from "./roster.ts";
import { readProgramme } from "../roster/programme.ts";
import { readObjectionReasons, type ObjectionReason } from "./objections.ts";
import { leafWithProof } from "./rosterHouseholds.ts";
import type { TokenInfo } from "../chain/tokens.ts";

export interface AttestationView {
  condition: Hex;
  official: Address;
  score: number;
  attestedAt: number;
  expiry: number;
  evidenceHash: Hex;
  revoked: boolean;
  /** Valid at chain time now (not revoked, not expired). */
  valid: boolean;
}

export interface EscrowObjectionView {
  kind: "escrow";
  projectId: string;
  projectTitle?: string;
  commitment: Hex;
  household: string;
  objector: Address;
  at: number;
  reasonHash: Hex;
  reason: ObjectionReason;
  /** The project's conditions and k, with every attestation of the household for each. */
  threshold: number;
  basis: { condition: Hex; attestations: AttestationView[] }[];
  /** The enrolment's attesters: what ruleOnObjection takes. */
  attesters: Address[];
  enrolledBy: Address;
  enrolledAt: number;
  amountPerTranche: string;
  tranches: number;
  token: TokenInfo;
}

export interface RosterObjectionView {
  kind: "roster";
  programme: Address;
  programmeTitle?: string;
  index: string;
  household: string;
  village?: string;
  objector: Address;
  at: number;
  reasonHash: Hex;
  reason: ObjectionReason;
  /** The officials who approved the whole roster (a roster has no per-household attestations). */
  approvedBy: Address[];
  /** The leaf and its proof, checked against the on-chain root; undefined when the files cannot prove it. */
  leaf?: { account: Address; amount: string; proof: Hex[] };
  token: TokenInfo;
  tranches: number;
}

export type PendingObjection = EscrowObjectionView | RosterObjectionView;

function attestationView(r: AttestationRecord, now: number): AttestationView {
  return {
    condition: r.conditionId,
    official: r.official,
    score: r.score,
    attestedAt: r.attestedAt,
    expiry: r.expiry,
    evidenceHash: r.evidenceHash,
    revoked: r.revoked,
    valid: !r.revoked && now < r.expiry,
  };
}

/** Every objection awaiting a ruling; undefined parts mean the chain could not be read. */
export async function loadPendingObjections(selfOrigin: string, locale: string): Promise<{ escrow?: EscrowObjectionView[]; roster?: RosterObjectionView[]; now?: number }> {
  const [snapshot, programmes] = await Promise.all([escrowNow(), loadProgrammes().catch(() => undefined)]);
  const escrow: Omit<EscrowObjectionView, "reason">[] | undefined = snapshot ? [] : undefined;
  if (snapshot && escrow) {
    const { books, now } = snapshot.snapshot;
    for (const p of books.projects.values()) {
      for (const b of p.households.values()) {
        if (b.status !== "Objected") continue;
        const o = b.objections[b.objections.length - 1];
        const attested = currentAttestations(books, b.commitment);
        escrow.push({
          kind: "escrow",
          projectId: String(p.projectId),
          projectTitle: localMetadata(p.terms.metadataURI, locale)?.title,
          commitment: b.commitment,
          household: pseudonym(b.commitment),
          objector: o.objector,
          at: o.at,
          reasonHash: o.reasonHash,
          threshold: p.terms.threshold,
          basis: p.terms.conditions.map((c) => ({ condition: c, attestations: (attested.get(c) ?? []).map((r) => attestationView(r, now)) })),
          attesters: b.attesters,
          enrolledBy: b.enrolledBy,
          enrolledAt: b.enrolledAt,
          amountPerTranche: p.terms.amountPerTranche.toString(),
          tranches: p.terms.trancheUnlockTimes.length,
          token: snapshot.snapshot.tokens?.[p.terms.token.toLowerCase()] ?? (await tokenInfoOf(snapshot.chainId, p.terms.token)),
        });
      }
    }
  }
  let roster: Omit<RosterObjectionView, "reason">[] | undefined;
  if (programmes?.deployed) {
    roster = [];
    const { client, deployment, chainId } = rosterChain();
    const withPending = programmes.programmes.filter((s) => s.version > 0);
    const details = await Promise.all(withPending.map((s) => readProgramme(client, deployment!, s.address).catch(() => undefined)));
    for (const p of details) {
      if (!p) continue;
      const pending = p.objections.filter((o) => o.version === p.version && !o.ruling);
      if (pending.length === 0) continue;
      const token = await tokenInfoOf(chainId, p.token);
      for (const o of pending) {
        const leaf = await leafWithProof(p, o.index, selfOrigin);
        roster.push({
          kind: "roster",
          programme: p.address,
          programmeTitle: localMetadata(p.metadataURI, locale)?.title,
          index: String(o.index),
          household: leaf ? rosterPseudonym(leaf.account) : "",
          village: leaf?.village || undefined,
          objector: o.objector,
          at: o.at,
          reasonHash: o.reasonHash,
          approvedBy: p.approvedBy,
          ...(leaf && { leaf: { account: leaf.account, amount: leaf.amount.toString(), proof: leaf.proof } }),
          token,
          tranches: p.trancheUnlockTimes.length,
        });
      }
    }
  }
  const reasons = await readObjectionReasons([...(escrow ?? []), ...(roster ?? [])].map((o) => o.reasonHash));
  const withReason = <T extends { reasonHash: Hex }>(o: T) => ({ ...o, reason: reasons.get(o.reasonHash.toLowerCase()) ?? { state: "missing" as const } });
  return { escrow: escrow?.map(withReason), roster: roster?.map(withReason), now: snapshot?.snapshot.now };
}
