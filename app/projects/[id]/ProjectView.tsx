"use client";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useReadChain, useEscrowBooks, type InitialEscrowBooks } from "@/hooks/useChainData";
import { projectStatus } from "@/lib/escrow/status";
import { currentAttestations, type ProjectBook } from "@/lib/escrow/events";
import { bytes32ToText, parseMetadata, pseudonym, shortHex } from "@/lib/format/text";
import { formatTime } from "@/lib/format/time";
import { conditionName } from "@/lib/registry/catalogue";
import { Amount } from "@/components/Amount";
import { CategoryLabel, Loading, ProjectName, ProjectProgress, StatusBadge } from "@/components/ProjectBits";
import { ActivityFeed } from "@/components/ActivityFeed";
import { DonateIsland as DonateForm, ObjectionIsland as ObjectionForm, RefundIsland as RefundPanel } from "./islands";

// recharts is large: the chart loads after the page, so it stays out of the first-load JS.
const FundFlowChart = dynamic(() => import("@/components/FundFlowChart"), { ssr: false, loading: () => <div className="chart" /> });

export function ProjectView({ id, initial }: { id: string; initial?: InitialEscrowBooks }) {
  const t = useTranslations("project");
  const locale = useLocale();
  const { deployment } = useReadChain();
  const { data, error } = useEscrowBooks(initial);
  if (!deployment) return <p className="error">{t("noDeployment")}</p>;
  if (!data) return <Loading error={error} />;
  const p = data.books.projects.get(id);
  if (!p) return <p className="error">{t("notFound", { id })}</p>;
  const status = projectStatus(p, data.now);
  const meta = parseMetadata(p.terms.metadataURI);
  const conds = p.terms.conditions;
  return (
    <>
      <h1>
        <ProjectName p={p} /> <StatusBadge status={status} />
      </h1>
      {meta?.village && <p className="muted">{meta.village}</p>}
      <ProjectProgress p={p} />
      <div className="grid">
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">{t("terms")}</h2>
          <dl className="stats">
            <Stat label={t("category")} value={<CategoryLabel value={p.terms.category} />} />
            <Stat label={t("region")} value={bytes32ToText(p.terms.region)} />
            <Stat label={t("token")} value={p.terms.token === "0x0000000000000000000000000000000000000000" ? "ETH" : shortHex(p.terms.token)} />
            <Stat label={t("perTranche")} value={<Amount value={p.terms.amountPerTranche} token={p.terms.token} />} />
            <Stat label={t("threshold")} value={t("thresholdValue", { k: p.terms.threshold })} />
            <Stat label={t("maxBeneficiaries")} value={String(p.terms.maxBeneficiaries)} />
            <Stat label={t("fundingDeadline")} value={formatTime(p.terms.fundingDeadline, locale)} />
            <Stat label={t("claimDeadline")} value={formatTime(p.terms.claimDeadline, locale)} />
            <Stat label={t("publicityWindow")} value={t("days", { n: Math.round(p.terms.publicityWindow / 86400) })} />
            <Stat label={t("manager")} value={<span className="mono">{shortHex(p.manager)}</span>} />
          </dl>
          <h3>{t("conditions")}</h3>
          <ul>
            {conds.map((c) => (
              <li key={c}>{conditionName(c, (k) => (t.has(`cond.${k}`) ? t(`cond.${k}`) : k))}</li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="tl-h">
          <h2 id="tl-h">{t("timeline")}</h2>
          <ol className="timeline">
            <li className={data.now >= p.createdAt ? "done" : ""}>{t("tlCreated", { time: formatTime(p.createdAt, locale) })}</li>
            <li className={data.now >= p.terms.fundingDeadline ? "done" : ""}>{t("tlFunding", { time: formatTime(p.terms.fundingDeadline, locale) })}</li>
            {p.terms.trancheUnlockTimes.map((u, i) => (
              <li key={i} className={data.now >= u ? "done" : ""}>
                {t("tlTranche", { n: i + 1, time: formatTime(u, locale) })}
              </li>
            ))}
            {p.cancelledAt !== undefined && <li className="done">{t("tlCancelled", { time: formatTime(p.cancelledAt, locale) })}</li>}
            <li className={data.now >= p.terms.claimDeadline ? "done" : ""}>{t("tlClaims", { time: formatTime(p.terms.claimDeadline, locale) })}</li>
          </ol>
          <p className="small muted">{t("chainNow", { time: formatTime(data.now, locale) })}</p>
        </section>
      </div>

      {status === "Funding" && <DonateForm p={p} />}
      {(status === "Cancelled" || status === "Closed") && <RefundPanel p={p} />}

      <section className="card" aria-labelledby="flow-h">
        <h2 id="flow-h">{t("flow")}</h2>
        <FundFlowChart p={p} />
      </section>

      <Beneficiaries p={p} now={data.now} books={data.books} />

      <section className="card" aria-labelledby="feed-h">
        <h2 id="feed-h">{t("activity")}</h2>
        <ActivityFeed events={[...p.events].reverse()} token={p.terms.token} />
      </section>
      <p>
        <Link href={`/evaluation?project=${p.projectId}`}>{t("evaluationLink")}</Link> · <Link href="/audit">{t("auditLink")}</Link>
      </p>
    </>
  );
}

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Beneficiaries({ p, now, books }: { p: ProjectBook; now: number; books: import("@/lib/escrow/events").EscrowBooks }) {
  const t = useTranslations("project");
  const locale = useLocale();
  const list = [...p.households.values()];
  return (
    <section className="card" aria-labelledby="ben-h">
      <h2 id="ben-h">{t("beneficiaries", { n: list.length })}</h2>
      {list.length === 0 && <p className="muted">{t("noBeneficiaries")}</p>}
      {list.map((b) => {
        const atts = currentAttestations(books, b.commitment);
        const windowOpen = now < b.windowEndsAt && b.status === "Enrolled";
        return (
          <article key={b.commitment} className="card" data-testid={`beneficiary-${b.commitment}`}>
            <h3>
              {t("household", { name: pseudonym(b.commitment) })} <StatusBadge status={b.status} kind="enrolment" />
            </h3>
            <p className="small muted">
              {t("enrolledBy", { who: shortHex(b.enrolledBy), time: formatTime(b.enrolledAt, locale) })} ·{" "}
              {windowOpen ? t("windowOpenUntil", { time: formatTime(b.windowEndsAt, locale) }) : t("windowClosedAt", { time: formatTime(b.windowEndsAt, locale) })}{" "}
              · {t("claimedSoFar")} <Amount value={b.claimed} token={p.terms.token} />
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
                        <td data-label={t("condition")}>{conditionName(c, (k) => (t.has(`cond.${k}`) ? t(`cond.${k}`) : k))}</td>
                        <td className="mono" data-label={t("attester")}>
                          <Link href={`/evaluation?official=${r.official}`}>{shortHex(r.official)}</Link>
                        </td>
                        <td data-label={t("score")}>{r.score || "—"}</td>
                        <td data-label={t("attestedAt")}>{formatTime(r.attestedAt, locale)}</td>
                        <td data-label={t("expires")}>{r.revoked ? <span className="badge bad">{t("revoked")}</span> : formatTime(r.expiry, locale)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
            {b.objections.length > 0 && (
              <ul className="small">
                {b.objections.map((o, i) => (
                  <li key={i}>
                    {t("objectionBy", { who: shortHex(o.objector), time: formatTime(o.at, locale) })}{" "}
                    {o.ruled ? (o.ruled.upheld ? t("upheld") : t("dismissed")) : t("awaitingRuling")}
                  </li>
                ))}
              </ul>
            )}
            {windowOpen && <ObjectionForm projectId={p.projectId} commitment={b.commitment} />}
          </article>
        );
      })}
    </section>
  );
}
