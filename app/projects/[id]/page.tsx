/**
 * A project: terms, timeline, money, where it went, households and activity, rendered on the server from
 * the books (lib/server/escrow.ts); donating, refunds and objections are wallet islands beside it.
 */
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { loadEscrow, tokenOf, type EscrowView } from "@/lib/server/escrow";
import { householdPublicity, projectStatus } from "@/lib/escrow/status";
import { currentAttestations, type ProjectBook } from "@/lib/escrow/events";
import { fundFlow } from "@/lib/books/escrow";
import type { TokenInfo } from "@/lib/chain/tokens";
import { localMetadata, pseudonym, shortHex } from "@/lib/format/text";
import { getTime } from "@/lib/server/time";
import { Time } from "@/components/Time";
import { formatTokenAmount } from "@/lib/format/amount";
import { conditionName } from "@/lib/registry/catalogue";
import { TokenAmount } from "@/components/TokenAmount";
import { CategoryLabel, ProjectName, ProjectProgress, RegionLabel, StatusBadge } from "@/components/ProjectBits";
import { ActivityFeed } from "@/components/ActivityFeed";
import { PublicityStatus } from "@/components/PublicityStatus";
import { DonateIsland, FundFlowIsland, ObjectionIsland, RefundIsland } from "./islands";

export const dynamic = "force-dynamic";

const validId = (id: string) => /^[1-9][0-9]{0,18}$/.test(id);

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations("project");
  return { title: t("metaTitle", { id }) };
}

function Stat({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!validId(id)) notFound();
  const read = await loadEscrow();
  const t = await getTranslations("project");
  const tc = await getTranslations("common");
  const locale = await getLocale();
  const time = await getTime();
  if (!read.ok)
    return (
      <p className="error" role="alert">
        {read.reason === "noDeployment" ? t("noDeployment") : tc("loadFailed")}
      </p>
    );
  const view = read.view;
  const p = view.books.projects.get(id);
  // An id the chain does not know is a 404, with the page's sentence (./not-found.tsx).
  if (!p) notFound();
  const now = view.now;
  const token = tokenOf(view, p.terms.token);
  const status = projectStatus(p, now);
  const meta = localMetadata(p.terms.metadataURI, locale);
  const title = meta?.title;
  const name = title ? `#${p.projectId} ${title}` : t("untitled", { id });
  const cond = (c: `0x${string}`) => conditionName(c, (k) => (t.has(`cond.${k}`) ? t(`cond.${k}`) : k));
  return (
    <>
      <h1>
        <ProjectName p={p} /> <StatusBadge status={status} />
      </h1>
      {meta?.village && <p className="muted">{meta.village}</p>}
      <ProjectProgress p={p} token={token} />
      <div className="grid">
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">{t("terms")}</h2>
          <dl className="stats">
            <Stat label={t("category")} value={<CategoryLabel value={p.terms.category} />} />
            <Stat label={t("region")} value={<RegionLabel value={p.terms.region} />} />
            <Stat label={t("token")} value={token?.symbol ?? shortHex(p.terms.token)} />
            <Stat label={t("perTranche")} value={<TokenAmount value={p.terms.amountPerTranche} token={token} />} />
            <Stat label={t("threshold")} value={t("thresholdValue", { k: p.terms.threshold })} />
            <Stat label={t("maxBeneficiaries")} value={String(p.terms.maxBeneficiaries)} />
            <Stat label={t("fundingDeadline")} value={<Time at={p.terms.fundingDeadline} />} />
            <Stat label={t("claimDeadline")} value={<Time at={p.terms.claimDeadline} />} />
            <Stat label={t("publicityWindow")} value={t("days", { n: Math.round(p.terms.publicityWindow / 86400) })} />
            <Stat label={t("manager")} value={<span className="mono">{shortHex(p.manager)}</span>} />
          </dl>
          <h3>{t("conditions")}</h3>
          <ul>
            {p.terms.conditions.map((c) => (
              <li key={c}>{cond(c)}</li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="tl-h">
          <h2 id="tl-h">{t("timeline")}</h2>
          <ol className="timeline">
            <li className={now >= p.createdAt ? "done" : ""} title={time.utc(p.createdAt)}>{t("tlCreated", { time: time(p.createdAt) })}</li>
            <li className={now >= p.terms.fundingDeadline ? "done" : ""} title={time.utc(p.terms.fundingDeadline)}>{t("tlFunding", { time: time(p.terms.fundingDeadline) })}</li>
            {p.terms.trancheUnlockTimes.map((u, i) => (
              <li key={i} className={now >= u ? "done" : ""} title={time.utc(u)}>
                {t("tlTranche", { n: i + 1, time: time(u) })}
              </li>
            ))}
            {p.cancelledAt !== undefined && <li className="done" title={time.utc(p.cancelledAt)}>{t("tlCancelled", { time: time(p.cancelledAt) })}</li>}
            <li className={now >= p.terms.claimDeadline ? "done" : ""} title={time.utc(p.terms.claimDeadline)}>{t("tlClaims", { time: time(p.terms.claimDeadline) })}</li>
          </ol>
          <p className="small muted" title={time.utc(now)} data-testid="chain-now">
            {t("chainNow", { time: time(now) })}
          </p>
        </section>
      </div>

      {status === "Funding" && <DonateIsland projectId={p.projectId} token={p.terms.token} name={name} now={now} termsVersion={p.termsVersion} />}
      {(status === "Cancelled" || status === "Closed") && <RefundIsland projectId={p.projectId} token={p.terms.token} name={name} />}

      <section className="card" aria-labelledby="flow-h">
        <h2 id="flow-h">{t("flow")}</h2>
        <FundFlowIsland p={fundFlow(p)} token={token} />
        <FundFlowTable p={p} token={token} locale={locale} />
      </section>

      <Households p={p} view={view} />

      <section className="card" aria-labelledby="feed-h">
        <h2 id="feed-h">{t("activity")}</h2>
        <ActivityFeed events={[...p.events].reverse()} token={token} />
      </section>
      <p>
        <Link href={`/evaluation?project=${p.projectId}`}>{t("evaluationLink")}</Link> · <Link href="/audit">{t("auditLink")}</Link>
      </p>
    </>
  );
}

/** The fund flow's figures as a table: for screen readers, small screens, and before the chart loads. */
async function FundFlowTable({ p, token, locale }: { p: ProjectBook; token: TokenInfo | undefined; locale: string }) {
  const t = await getTranslations("flow");
  const fmt = (v: bigint) => (token ? formatTokenAmount(v, token, locale) : "…");
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{t("caption")}</caption>
        <tbody>
          <tr>
            <th scope="row">{t("in")}</th>
            <td>{fmt(p.raised)}</td>
          </tr>
          <tr>
            <th scope="row">{t("toHouseholds")}</th>
            <td>{fmt(p.claimed)}</td>
          </tr>
          <tr>
            <th scope="row">{t("refunds")}</th>
            <td>{fmt(p.refunded)}</td>
          </tr>
          <tr>
            <th scope="row">{t("held")}</th>
            <td>{fmt(p.held)}</td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

async function Households({ p, view }: { p: ProjectBook; view: EscrowView }) {
  const t = await getTranslations("project");
  const time = await getTime();
  const token = tokenOf(view, p.terms.token);
  const now = view.now;
  const list = [...p.households.values()];
  const cond = (c: `0x${string}`) => conditionName(c, (k) => (t.has(`cond.${k}`) ? t(`cond.${k}`) : k));
  return (
    <section className="card" aria-labelledby="ben-h">
      <h2 id="ben-h">{t("beneficiaries", { n: list.length })}</h2>
      {list.length === 0 && <p className="muted">{t("noBeneficiaries")}</p>}
      {list.map((b) => {
        const atts = currentAttestations(view.books, b.commitment);
        const publicity = householdPublicity(b, now);
        return (
          <article key={b.commitment} className="card" data-testid={`beneficiary-${b.commitment}`}>
            <h3>
              {t("household", { name: pseudonym(b.commitment) })} <StatusBadge status={b.status} kind="enrolment" />
            </h3>
            <p className="small muted">
              <span title={time.utc(b.enrolledAt)}>{t("enrolledBy", { who: shortHex(b.enrolledBy), time: time(b.enrolledAt) })}</span> ·{" "}
              <PublicityStatus publicity={publicity} /> · {t("claimedSoFar")} <TokenAmount value={b.claimed} token={token} />
            </p>
            <div className="table-wrap">
              <table className="stack">
                <thead>
                  <tr>
                    <th scope="col">{t("condition")}</th>
                    <th scope="col">{t("attester")}</th>
                    <th scope="col">{t("score")}</th>
                    <th scope="col">{t("attestedAt")}</th>
                    <th scope="col">{t("expires")}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.terms.conditions.flatMap((c) =>
                    (atts.get(c) ?? []).map((r) => (
                      <tr key={`${c}${r.official}`}>
                        <td data-label={t("condition")}>{cond(c)}</td>
                        <td className="mono" data-label={t("attester")}>
                          <Link href={`/evaluation?official=${r.official}`}>{shortHex(r.official)}</Link>
                        </td>
                        <td data-label={t("score")}>{r.score || "—"}</td>
                        <td data-label={t("attestedAt")}>
                          <Time at={r.attestedAt} />
                        </td>
                        <td data-label={t("expires")}>{r.revoked ? <span className="badge bad">{t("revoked")}</span> : <Time at={r.expiry} />}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
            {b.objections.length > 0 && (
              <ul className="small">
                {b.objections.map((o, i) => (
                  <li key={i} title={time.utc(o.at)}>
                    {t("objectionBy", { who: shortHex(o.objector), time: time(o.at) })}{" "}
                    {o.ruled ? (o.ruled.upheld ? t("upheld") : t("dismissed")) : t("awaitingRuling")}
                  </li>
                ))}
              </ul>
            )}
            {publicity.canObject && <ObjectionIsland projectId={p.projectId} commitment={b.commitment} />}
          </article>
        );
      })}
    </section>
  );
}
