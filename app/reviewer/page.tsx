import Link from "next/link";
import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { getTime } from "@/lib/server/time";
import { shortHex } from "@/lib/format/text";
import { conditionName } from "@/lib/registry/catalogue";
import { loadPendingObjections, type EscrowObjectionView, type RosterObjectionView } from "@/lib/server/reviewer";
import type { ObjectionReason } from "@/lib/server/objections";
import { amountText } from "@/lib/server/roster";
import { selfOrigin } from "@/lib/server/origin";
import { RulingIsland } from "./islands";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("reviewer");
  return { title: t("title") };
}

/**
 * Objections to rule on (issue 9, item 3), rendered on the server: each with the objector's published
 * reason (checked against the hash on chain), the household's attestations and who attested them (or,
 * for a roster, who approved it), beside Uphold / Dismiss (a wallet island, ./RulingPanel.tsx).
 */
export default async function ReviewerPage() {
  const t = await getTranslations("reviewer");
  const pending = await loadPendingObjections(selfOrigin(await headers()), await getLocale());
  const escrow = pending.escrow ?? [];
  const roster = pending.roster ?? [];
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {(!pending.escrow || !pending.roster) && (
        <p className="error" role="alert">
          {t("readFailed")}
        </p>
      )}
      <h2 data-testid="pending-projects">{t("pendingProjects", { n: escrow.length })}</h2>
      {escrow.length === 0 && <p className="muted">{t("none")}</p>}
      {escrow.map((o) => (
        <EscrowObjection key={`${o.projectId}-${o.commitment}`} o={o} now={pending.now ?? 0} />
      ))}
      <h2 data-testid="pending-rosters">{t("pendingRosters", { n: roster.length })}</h2>
      {roster.length === 0 && <p className="muted">{t("none")}</p>}
      {roster.map((o) => (
        <RosterObjection key={`${o.programme}-${o.index}`} o={o} />
      ))}
    </>
  );
}

async function Reason({ reason, hash }: { reason: ObjectionReason; hash: string }) {
  const t = await getTranslations("objectionText");
  return (
    <div data-testid="objection-reason-block">
      <h4 className="small">{t("label")}</h4>
      {reason.state === "text" ? (
        <blockquote className="reason" data-testid="objection-reason" data-user-text>
          {reason.text}
        </blockquote>
      ) : (
        <p className="notice small" data-testid="objection-reason-missing">
          {reason.state === "mismatch" ? t("mismatch") : t("notAvailable")}
        </p>
      )}
      <details className="small muted">
        <summary>{t("hashSummary")}</summary>
        <span className="mono">{hash}</span>
      </details>
    </div>
  );
}

async function EscrowObjection({ o, now }: { o: EscrowObjectionView; now: number }) {
  const t = await getTranslations("reviewer");
  const tp = await getTranslations("project");
  const locale = await getLocale();
  const time = await getTime();
  const project = o.projectTitle ? `#${o.projectId} ${o.projectTitle}` : tp("untitled", { id: o.projectId });
  return (
    <article className="card" data-testid={`objection-${o.commitment}`}>
      <h3>
        <Link href={`/projects/${o.projectId}`}>{project}</Link> — {t("household", { name: o.household })}
      </h3>
      <p className="small">{t("raisedBy", { who: shortHex(o.objector), time: time(o.at) })}</p>
      <Reason reason={o.reason} hash={o.reasonHash} />
      <h4 className="small">{t("basis", { k: o.threshold })}</h4>
      <ul className="small" data-testid="objection-basis">
        {o.basis.map(({ condition, attestations }) => {
          const valid = attestations.filter((a) => a.valid).length;
          return (
            <li key={condition}>
              {conditionName(condition, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}: {t("validOf", { n: valid, k: o.threshold })}
              <ul>
                {attestations.map((a) => (
                  <li key={a.official} data-testid="attestation">
                    {t("attestation", {
                      who: shortHex(a.official),
                      score: a.score,
                      time: time.date(a.attestedAt),
                      expiry: time.date(a.expiry),
                    })}{" "}
                    <span className="mono" title={a.evidenceHash}>
                      {t("evidence", { hash: shortHex(a.evidenceHash) })}
                    </span>
                    {a.revoked ? ` — ${t("revoked")}` : now >= a.expiry ? ` — ${t("expired")}` : ""}
                  </li>
                ))}
                {attestations.length === 0 && <li className="muted">{t("noAttestations")}</li>}
              </ul>
            </li>
          );
        })}
      </ul>
      <p className="small muted">
        {t("enrolled", { who: shortHex(o.enrolledBy), time: time.date(o.enrolledAt), list: o.attesters.map((a) => shortHex(a)).join(", ") })}
      </p>
      <p className="small">{t("atStake", { amount: amountText(BigInt(o.amountPerTranche), o.token, locale), n: o.tranches })}</p>
      <RulingIsland target={{ kind: "escrow", projectId: o.projectId, commitment: o.commitment, attesters: o.attesters }} />
    </article>
  );
}

async function RosterObjection({ o }: { o: RosterObjectionView }) {
  const t = await getTranslations("reviewer");
  const th = await getTranslations("rosterHouseholds");
  const tr = await getTranslations("roster");
  const locale = await getLocale();
  const time = await getTime();
  // The village is the published roster file's own text (data-user-text: whatever language it was written in).
  const name = o.household ? (
    <>
      {th("rowNameNoVillage", { index: o.index, name: o.household })}
      {o.village && (
        <>
          {" · "}
          <span data-user-text>{o.village}</span>
        </>
      )}
    </>
  ) : (
    `#${o.index}`
  );
  return (
    <article className="card" data-testid={`roster-objection-${o.index}`}>
      <h3>
        <Link href={`/roster/${o.programme}`}>{o.programmeTitle ?? tr("untitled", { address: shortHex(o.programme) })}</Link> — {name}
      </h3>
      <p className="small">{t("raisedBy", { who: shortHex(o.objector), time: time(o.at) })}</p>
      <Reason reason={o.reason} hash={o.reasonHash} />
      <p className="small">{t("rosterApprovedBy", { list: o.approvedBy.map((a) => shortHex(a)).join(", ") })}</p>
      {o.leaf ? (
        <>
          <p className="small">
            {t("rosterLeaf", { amount: amountText(BigInt(o.leaf.amount), o.token, locale), n: o.tranches })} <span className="mono">{shortHex(o.leaf.account)}</span>
          </p>
          <RulingIsland target={{ kind: "roster", programme: o.programme, index: o.index, account: o.leaf.account, amount: o.leaf.amount, proof: o.leaf.proof }} />
        </>
      ) : (
        <p className="notice small">{t("leafUnavailable", { index: o.index })}</p>
      )}
    </article>
  );
}
