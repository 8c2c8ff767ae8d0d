import type { ReactNode } from "react";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { isAddress } from "viem";
import { bytes32ToText, shortHex } from "@/lib/format/text";
import { RegionLabel } from "@/components/ProjectBits";
import { getTime } from "@/lib/server/time";
import { Time } from "@/components/Time";
import { cancellable, donationGate, refundsOpen, rosterPhase, rosterStage, takesDonations } from "@/lib/roster/status";
import { listedProgramme } from "./listed";
import { RosterCancelIsland, RosterClaimIsland, RosterDonateIsland, RosterObjectionIsland, RosterRefundIsland } from "./islands";
import { amountText } from "@/lib/server/roster";
import { readObjectionReasons, type ObjectionReason as ObjectionReasonState } from "@/lib/server/objections";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ programme: string }> }) {
  const { programme } = await params;
  const t = await getTranslations("roster");
  return { title: t("metaTitle", { address: isAddress(programme) ? shortHex(programme) : "?" }) };
}

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

/** An objection's published reason (its text checked against the hash on chain), or why there is none. */
function ObjectionReason({ reason, label, missing, mismatch }: { reason?: ObjectionReasonState; label: string; missing: string; mismatch: string }) {
  if (reason?.state === "text")
    return (
      <blockquote className="reason small" data-testid="objection-reason" data-user-text>
        <span className="sr-only">{label}: </span>
        {reason.text}
      </blockquote>
    );
  return (
    <p className="small muted" data-testid="objection-reason-missing">
      {reason?.state === "mismatch" ? mismatch : missing}
    </p>
  );
}

/** "3 d 4 h" / "5 h 12 min": how long until a chain time, for the window countdown. */
function duration(seconds: number, t: (k: string, v: Record<string, number>) => string): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.max(1, Math.floor((seconds % 3600) / 60));
  return d > 0 ? t("durationDays", { d, h }) : t("durationHours", { h, m });
}

export default async function RosterProgrammePage({ params }: { params: Promise<{ programme: string }> }) {
  const { programme: raw } = await params;
  const t = await getTranslations("roster");
  const ts = await getTranslations("status");
  const tc = await getTranslations("categories");
  const tr = await getTranslations("connect.roles");
  const locale = await getLocale();
  const time = await getTime();
  const listed = await listedProgramme(raw);
  if ("instead" in listed) return listed.instead;
  const { data, p, title } = listed;
  const token = data.token;
  const money = (v: bigint) => amountText(v, token, locale);
  const phase = rosterPhase(p, p.now);
  const claimers = new Set(p.claims.map((c) => c.account.toLowerCase())).size;
  const windowOpen = phase === "PublicityWindow";
  const gate = donationGate(p);
  const cancelledAt = p.cancelledAt ?? 0;
  const reasons = await readObjectionReasons(p.objections.map((o) => o.reasonHash));
  const to = await getTranslations("objectionText");
  // Only the half in force counts (cancellationApproval()): a withdrawn or expired one waits for nobody.
  const half = p.cancellationHalf;
  return (
    <>
      <h1>
        {title}{" "}
        <span className={`badge ${p.status}`} data-testid="roster-phase">
          {t(`phase.${rosterStage(p, p.now)}`)}
        </span>
        {p.paused && <span className="badge bad"> {t("paused")}</span>}
      </h1>
      <p className="muted">
        {t("programmeAt")} <span className="mono">{p.address}</span> · <RegionLabel value={p.region} />
        {takesDonations(p) && (
          <>
            {" · "}
            <span title={time.utc(p.fundingDeadline)} data-testid="roster-donations">
              {t("takingDonations", { time: time(p.fundingDeadline) })}
            </span>
          </>
        )}
      </p>
      {p.pause && (
        <p className="notice small" data-testid="roster-paused">
          {t("pausedSince", { since: time(p.pause.since), until: time(p.pause.lapsesAt) })}
        </p>
      )}

      <div className="grid">
        <section className="card" aria-labelledby="terms-h">
          <h2 id="terms-h">{t("terms")}</h2>
          <dl className="stats">
            <Stat label={t("token")} value={token.symbol} />
            <Stat label={t("category")} value={tc.has(bytes32ToText(p.category)) ? tc(bytes32ToText(p.category)) : bytes32ToText(p.category)} />
            <Stat label={t("threshold")} value={t("thresholdValue", { k: p.threshold })} />
            <Stat label={t("fundingDeadline")} value={<Time at={p.fundingDeadline} />} />
            <Stat label={t("claimDeadline")} value={<Time at={p.claimDeadline} />} />
            <Stat label={t("publicityWindow")} value={duration(p.publicityWindow, t)} />
            <Stat label={t("manager")} value={<span className="mono">{shortHex(p.manager)}</span>} />
          </dl>
          <h3>{t("tranches")}</h3>
          <ol className="timeline">
            {p.trancheUnlockTimes.map((u, i) => (
              <li key={i} className={p.now >= u ? "done" : ""} title={time.utc(u)}>
                {t(p.now >= u ? "trancheUnlocked" : "trancheLocked", { n: i + 1, time: time(u) })}
              </li>
            ))}
          </ol>
          <p className="small muted" title={time.utc(p.now)}>
            {t("chainNow", { time: time(p.now) })}
          </p>
        </section>

        <section className="card" aria-labelledby="funding-h">
          <h2 id="funding-h">{t("funding")}</h2>
          <dl className="stats">
            <Stat label={t("raised")} value={money(p.raised)} testId="roster-raised" />
            <Stat label={t("held")} value={money(p.held)} testId="roster-held" />
            <Stat label={t("rosterTotal")} value={money(p.rosterTotal)} />
            <Stat label={t("claimedTotal")} value={money(p.claimedTotal)} testId="roster-claimed-total" />
            <Stat label={t("refunded")} value={money(p.refunded)} />
            <Stat label={t("donors")} value={p.donors.toLocaleString(locale)} />
          </dl>
        </section>
      </div>

      {gate === "open" ? (
        <RosterDonateIsland programme={p.address} token={p.token} now={p.now} name={title} />
      ) : (
        <section className="card" aria-labelledby="donate-h">
          <h2 id="donate-h">{t("donateTitle")}</h2>
          <p className="notice" data-testid="roster-donate-closed" data-gate={gate}>
            {t(`donateClosed.${gate}`, { time: time(p.fundingDeadline) })}
          </p>
        </section>
      )}
      {refundsOpen(p.status) && <RosterRefundIsland programme={p.address} token={p.token} now={p.now} name={title} cancelled={p.status === "Cancelled"} />}

      <section className="card" aria-labelledby="roster-h">
        <h2 id="roster-h">{t("currentRoster")}</h2>
        {p.version === 0 ? (
          <p className="muted">{t("noRoster")}</p>
        ) : (
          <>
            <dl className="stats">
              <Stat label={t("version")} value={String(p.version)} />
              <Stat label={t("leafCount")} value={p.leafCount.toLocaleString(locale)} testId="roster-leaf-count" />
            </dl>
            <p className="small">
              {t("root")} <span className="mono" data-testid="roster-root">{p.root}</span>
            </p>
            <p className="small">
              {t("uri")}{" "}
              {/^https?:\/\//.test(p.uri) ? (
                <a className="mono" href={p.uri} rel="noreferrer">
                  {p.uri}
                </a>
              ) : (
                <span className="mono">{p.uri}</span>
              )}
            </p>
            <p className="small">
              {t("contentHash")} <span className="mono">{p.contentHash}</span>
            </p>
            <p className="small muted">{t("contentHashHelp")}</p>
            {p.publications.length > 1 && (
              <ul className="small">
                {p.publications.map((x) => (
                  <li key={x.version}>{t("publication", { version: x.version, time: time(x.at), n: x.leafCount })}</li>
                ))}
              </ul>
            )}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="approval-h">
        <h2 id="approval-h">{t("approval")}</h2>
        {p.claimsOpenAt === 0 ? (
          <p className="muted">{p.version === 0 ? t("noRoster") : t("awaitingApproval", { k: p.threshold })}</p>
        ) : (
          <>
            <p>{t("approvedBy", { k: p.approvedBy.length, time: p.approvedAt ? time(p.approvedAt) : "—" })}</p>
            <ul className="small">
              {p.approvedBy.map((o) => (
                <li key={o} className="mono">
                  <Link href={`/evaluation?official=${o}`}>{o}</Link>
                </li>
              ))}
            </ul>
            <p data-testid="window-state" className={windowOpen ? "notice" : ""} title={time.utc(p.claimsOpenAt)}>
              {windowOpen
                ? t("windowOpen", { time: time(p.claimsOpenAt), left: duration(p.claimsOpenAt - p.now, t) })
                : t("windowClosed", { time: time(p.claimsOpenAt) })}
            </p>
          </>
        )}
      </section>

      <RosterClaimIsland
        programme={p.address}
        chainId={data.chainId}
        token={p.token}
        symbol={token.symbol}
        decimals={token.decimals}
        root={p.root}
        version={p.version}
        claimsOpenAt={p.claimsOpenAt}
        claimDeadline={p.claimDeadline}
        cancelledAt={p.cancelledAt}
        paused={p.paused}
        trancheUnlockTimes={p.trancheUnlockTimes}
        now={p.now}
        name={title}
      />

      <section className="card" aria-labelledby="objections-h">
        <h2 id="objections-h">{t("objections", { n: p.objections.filter((o) => o.version === p.version).length })}</h2>
        {p.objections.length === 0 && <p className="muted">{t("noObjections")}</p>}
        <ul className="feed" data-testid="roster-objections">
          {p.objections.map((o) => (
            <li key={o.transactionHash + String(o.index)}>
              {t("objection", { index: String(o.index), who: shortHex(o.objector), time: time(o.at), version: o.version })}{" "}
              <span className={`badge ${o.ruling ? (o.ruling.upheld ? "bad" : "ok") : "Objected"}`}>
                {o.ruling ? (o.ruling.upheld ? t("upheld") : t("dismissed")) : o.version === p.version ? t("pendingRuling") : t("voidedByRepublication")}
              </span>
              <ObjectionReason reason={reasons.get(o.reasonHash.toLowerCase())} label={to("label")} missing={to("notAvailable")} mismatch={to("mismatch")} />
            </li>
          ))}
        </ul>
        {p.version > 0 && (
          <p>
            <Link href={`/roster/${p.address}/households`} data-testid="households-link">
              {windowOpen ? t("findToObject") : t("householdList")}
            </Link>
          </p>
        )}
        {windowOpen && <RosterObjectionIsland programme={p.address} leafCount={p.leafCount} />}
      </section>

      <section className="card" aria-labelledby="claims-h">
        <h2 id="claims-h">{t("claimsSoFar")}</h2>
        <p data-testid="roster-claims-summary">{t("claimsSummary", { n: p.claims.length, households: claimers, amount: money(p.claimedTotal) })}</p>
        {p.claims.length > 0 && (
          <ul className="feed small">
            {p.claims
              .slice(-10)
              .reverse()
              .map((c) => (
                <li key={c.transactionHash + String(c.index) + c.tranche}>
                  {t("claimLine", { index: String(c.index), n: c.tranche + 1, who: shortHex(c.account), time: time(c.at), amount: money(c.amount) })}
                </li>
              ))}
          </ul>
        )}
      </section>
      {(cancellable(p.status) || p.status === "Cancelled") && (
        <section className="card" aria-labelledby="cancel-h" data-testid="roster-cancellation">
          <h2 id="cancel-h">{t("cancelTitle")}</h2>
          {p.status === "Cancelled" ? (
            <p className="notice" data-testid="roster-cancelled">
              {t("cancelledOn", { time: time(cancelledAt) })}
            </p>
          ) : (
            <p>{t("cancelExplain")}</p>
          )}
          {p.cancellationApprovals.length === 0 ? (
            <p className="muted small">{t("cancelNone")}</p>
          ) : (
            <ul className="small" data-testid="cancel-approvals">
              {p.cancellationApprovals.map((a) => (
                <li key={a.transactionHash}>
                  {t("cancelApprovalLine", { who: shortHex(a.approver), role: tr(a.asReviewer ? "reviewer" : "manager"), time: time(a.at) })}
                  {a.withdrawn ? ` · ${t("cancelWithdrawnMark")}` : a.expiresAt > 0 && a.expiresAt <= p.now && p.status !== "Cancelled" ? ` · ${t("cancelExpiredMark")}` : ""}
                </li>
              ))}
            </ul>
          )}
          {p.status !== "Cancelled" && half && (
            <>
              <p className="small" data-testid="cancel-waiting">
                {t("cancelWaiting", { role: tr(half.asReviewer ? "manager" : "reviewer") })}
              </p>
              <p className="small muted" data-testid="cancel-expires">
                {t("cancelHalfExpires", { time: time(half.expiresAt) })}
              </p>
            </>
          )}
          {cancellable(p.status) && (
            <RosterCancelIsland programme={p.address} manager={p.manager} approvals={half ? [{ approver: half.approver, asReviewer: half.asReviewer }] : []} />
          )}
        </section>
      )}
      <p>
        <Link href="/roster">{t("backToList")}</Link>
      </p>
    </>
  );
}
