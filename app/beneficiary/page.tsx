import Link from "next/link";
import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { isAddress, type Address } from "viem";
import { getTime } from "@/lib/server/time";
import { shortHex } from "@/lib/format/text";
import { conditionName } from "@/lib/registry/catalogue";
import { nextSteps, owedTotals, type NextStep, type OwedItem, type OwedTranche } from "@/lib/household/owed";
import { loadHouseholdAid, type EscrowHolding, type HouseholdAid, type RosterHolding } from "@/lib/server/household";
import { amountText } from "@/lib/server/roster";
import { selfOrigin } from "@/lib/server/origin";
import { PublicityStatus } from "@/components/PublicityStatus";
import { ClaimNowIsland, ConnectRedirectIsland, OtherWaysIsland, ReceivedIsland, ShareLinkIsland } from "./islands";
import type { ClaimTarget } from "./ClaimNow";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("household");
  return { title: t("title") };
}

/**
 * The household's page (issue 9, item 5): everything it is owed, from every escrow project and roster
 * programme, with what to do next first; technical details folded away. Rendered on the server for the
 * account in `?address=` (the link on the household's card; documented route), or, without one, for the
 * wallet that connects. Claims are wallet islands (./ClaimNow.tsx).
 *
 * Room for what comes next (issues 12-14): "Use this phone" (a passkey account) and "I lost my phone" go
 * in the account section at the end; "pay a shop" beside the totals; a renewal date is already a step.
 */
export default async function HouseholdPage({ searchParams }: { searchParams: Promise<{ address?: string }> }) {
  const { address } = await searchParams;
  const t = await getTranslations("household");
  const given = address?.trim();
  if (!given)
    return (
      <>
        <h1>{t("title")}</h1>
        <p className="muted">{t("intro")}</p>
        <p className="notice">{t("connectFirst")}</p>
        <Lookup />
        <ConnectRedirectIsland />
      </>
    );
  if (!isAddress(given))
    return (
      <>
        <h1>{t("title")}</h1>
        <p className="error" role="alert" data-testid="bad-address">
          {t("badAddress", { text: given.slice(0, 60) })}
        </p>
        <Lookup value={given} />
      </>
    );
  const aid = await loadHouseholdAid(given as Address, selfOrigin(await headers()), await getLocale()).catch(() => undefined);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted small">
        {t("forAccount")} <span className="mono">{shortHex(given)}</span>
      </p>
      {!aid ? (
        <p className="error" role="alert">
          {t("readFailed")}
        </p>
      ) : (
        <Aid aid={aid} />
      )}
      <details className="card small">
        <summary>{t("otherHousehold")}</summary>
        <Lookup value={given} />
      </details>
    </>
  );
}

async function Lookup({ value }: { value?: string }) {
  const t = await getTranslations("household");
  return (
    <form className="row" role="search" method="get" action="/beneficiary">
      <label className="field">
        {t("lookup")}
        <input name="address" defaultValue={value} placeholder="0x…" autoComplete="off" spellCheck={false} />
      </label>
      <button className="btn secondary" type="submit">
        {t("show")}
      </button>
    </form>
  );
}

function claimTarget(aid: HouseholdAid, h: EscrowHolding | RosterHolding, tr: OwedTranche): ClaimTarget {
  const token = aid.tokens[h.item.token.toLowerCase()] ?? { symbol: "?", decimals: 18 };
  const common = { account: aid.account, tranche: tr.tranche, amount: tr.amount.toString(), symbol: token.symbol, decimals: token.decimals, title: h.item.title, now: aid.now };
  return "projectId" in h
    ? { ...common, kind: "escrow", projectId: h.projectId, commitment: h.commitment, attesters: h.attesters }
    : { ...common, kind: "roster", programme: h.programme, chainId: aid.chainId, index: h.index, proof: h.proof };
}

async function Aid({ aid }: { aid: HouseholdAid }) {
  const t = await getTranslations("household");
  const locale = await getLocale();
  const holdings: (EscrowHolding | RosterHolding)[] = [...aid.escrow, ...aid.roster];
  const holdingOf = (item: OwedItem) => holdings.find((h) => h.item.key === item.key)!;
  const steps = nextSteps(holdings.map((h) => h.item));
  const money = (value: bigint, token: string) => (aid.tokens[token.toLowerCase()] ? amountText(value, aid.tokens[token.toLowerCase()], locale) : value.toString());
  const totals = [...owedTotals(holdings.map((h) => h.item))];
  const received = totals.filter(([, v]) => v.received > 0n).map(([token, v]) => money(v.received, token));
  return (
    <>
      <section className="card next-steps" aria-labelledby="next-h" data-testid="next-steps">
        <h2 id="next-h">{t("nextTitle")}</h2>
        <ReceivedIsland account={aid.account} />
        {holdings.length === 0 ? (
          <p data-testid="nothing-owed">{aid.commitment ? t("nothingOwed") : t("notRegistered")}</p>
        ) : steps.length === 0 ? (
          <p>{t("nothingNow")}</p>
        ) : (
          <ol className="steps">
            {steps.map((s) => (
              <Step key={stepKey(s)} step={s} money={money} target={s.kind === "claim" ? claimTarget(aid, holdingOf(s.item), s.tranche) : undefined} />
            ))}
          </ol>
        )}
        {received.length > 0 && (
          <p className="small muted" data-testid="received-total">
            {t("receivedSoFar", { amounts: received.join(" · ") })}
          </p>
        )}
      </section>
      {aid.unreadable.length > 0 && (
        <p className="notice small" role="status">
          {t("someUnreadable", { list: aid.unreadable.join(", ") })}
        </p>
      )}
      {aid.partial && (
        <p className="notice small" role="status">
          {t("partial")}
        </p>
      )}
      {holdings.length > 0 && <h2>{t("paymentsTitle")}</h2>}
      {holdings.map((h) => (
        <Holding key={h.item.key} h={h} aid={aid} money={money} />
      ))}
      <section className="card" aria-labelledby="account-h">
        <h2 id="account-h">{t("accountTitle")}</h2>
        <p className="small">
          {t("paidTo")} <span className="mono">{aid.account}</span>
        </p>
        <details>
          <summary>{t("shareLink")}</summary>
          <ShareLinkIsland account={aid.account} />
        </details>
      </section>
    </>
  );
}

const stepKey = (s: NextStep) => `${s.kind}:${s.item.key}:${"tranche" in s ? s.tranche.tranche : ""}`;

async function Step({ step, money, target }: { step: NextStep; money: (v: bigint, token: string) => string; target?: ClaimTarget }) {
  const t = await getTranslations("household");
  const locale = await getLocale();
  const time = await getTime();
  const of = (tr: OwedTranche) => t("paymentOf", { n: tr.tranche + 1, total: step.item.tranches.length, title: step.item.title });
  switch (step.kind) {
    case "claim":
      return (
        <li className="step claim" data-testid="step-claim">
          <ClaimNowIsland target={target!} />
          <span className="small">{of(step.tranche)}</span>
        </li>
      );
    case "renew":
      return (
        <li className="step renew" data-testid="step-renew">
          {/* 0: the attestations have lapsed already (lib/household/owed.ts renewBy). */}
          <strong>{step.by === 0 ? t("renewNow") : t("renewBy", { time: time.date(step.by) })}</strong>{" "}
          <span className="small">{t(step.by === 0 ? "renewNowHelp" : "renewHelp", { title: step.item.title })}</span>
        </li>
      );
    case "held":
      return (
        <li className="step held" data-testid="step-held">
          {t("held", { title: step.item.title })}
        </li>
      );
    case "next":
      return (
        <li className="step next" data-testid="step-next">
          {t("nextPayment", { amount: money(step.tranche.amount, step.item.token), time: time.date(step.at) })} <span className="small">{of(step.tranche)}</span>
        </li>
      );
  }
}

async function Holding({ h, aid, money }: { h: EscrowHolding | RosterHolding; aid: HouseholdAid; money: (v: bigint, token: string) => string }) {
  const t = await getTranslations("household");
  const tp = await getTranslations("project");
  const locale = await getLocale();
  const time = await getTime();
  const item = h.item;
  const escrow = "projectId" in h ? h : undefined;
  const roster = "programme" in h ? h : undefined;
  const href = escrow ? `/projects/${escrow.projectId}` : `/roster/${roster!.programme}`;
  const claimable = item.tranches.filter((tr) => tr.status === "claimable");
  const statusText = (tr: OwedTranche) =>
    tr.status === "received" && !tr.receivedAt
      ? t("tranche.receivedNoDate")
      : t(`tranche.${tr.status}`, { time: time.date(tr.status === "received" ? tr.receivedAt! : Math.max(tr.unlocksAt, tr.opensAt ?? 0)) });
  const testId = escrow ? `holding-escrow-${escrow.projectId}` : `holding-roster-${roster!.programme}`;
  return (
    <section className="card" aria-labelledby={`${testId}-h`} data-testid={testId}>
      <h3 id={`${testId}-h`}>
        <Link href={href}>{item.title}</Link> <span className="badge">{t(escrow ? "kindProject" : "kindRoster")}</span>
      </h3>
      {escrow && (
        // The same sentence the project page shows for this household (one rule: householdPublicity).
        <p className="small" data-testid={`enrolment-${escrow.projectId}`}>
          <PublicityStatus publicity={escrow.publicity} />
        </p>
      )}
      <div className="table-wrap">
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">{t("payment")}</th>
              <th scope="col">{t("amount")}</th>
              <th scope="col">{t("status")}</th>
            </tr>
          </thead>
          <tbody>
            {item.tranches.map((tr) => (
              <tr key={tr.tranche} data-testid={escrow ? `tranche-${escrow.projectId}-${tr.tranche}` : `roster-${roster!.programme}-${tr.tranche}`} data-status={tr.status}>
                <td data-label={t("payment")}>{t("paymentN", { n: tr.tranche + 1 })}</td>
                <td data-label={t("amount")}>{money(tr.amount, item.token)}</td>
                <td data-label={t("status")}>{statusText(tr)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {claimable.length > 0 && (
        <details className="small">
          <summary>{t("otherWays")}</summary>
          {claimable.map((tr) => (
            <OtherWaysIsland key={tr.tranche} target={claimTarget(aid, h, tr)} />
          ))}
        </details>
      )}
      <details className="small" data-testid="details">
        <summary>{t("details")}</summary>
        {escrow && (
          <dl className="facts">
            <dt>{t("listedAs")}</dt>
            <dd>{t("householdName", { name: escrow.listedAs })}</dd>
            <dt>{t("enrolment")}</dt>
            <dd>{t("enrolledBy", { who: shortHex(escrow.enrolledBy), time: time.date(escrow.enrolledAt), status: t(`enrolmentStatus.${escrow.enrolment}`) })}</dd>
            <dt>{t("basis", { k: escrow.threshold })}</dt>
            <dd>
              <ul>
                {escrow.basis.map(({ condition, attestations }) => (
                  <li key={condition}>
                    {conditionName(condition, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}:{" "}
                    {attestations.length === 0
                      ? t("noAttestation")
                      : attestations
                          .map((a) =>
                            t("attestedBy", { who: shortHex(a.official), until: time.date(a.expiry) }) + (a.revoked ? ` (${t("revoked")})` : aid.now >= a.expiry ? ` (${t("expired")})` : ""),
                          )
                          .join("; ")}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t("commitment")}</dt>
            <dd className="mono">{escrow.commitment}</dd>
          </dl>
        )}
        {roster && (
          <dl className="facts">
            <dt>{t("listedAs")}</dt>
            <dd>{t("rosterName", { index: roster.index, name: roster.listedAs })}</dd>
            <dt>{t("rosterVersion")}</dt>
            <dd>{roster.version}</dd>
            <dt>{t("merkleRoot")}</dt>
            <dd className="mono">{roster.root}</dd>
            <dt>{t("proof")}</dt>
            <dd>{t("proofChecked", { depth: roster.proof.length })}</dd>
            <dt>{t("programme")}</dt>
            <dd className="mono">{roster.programme}</dd>
          </dl>
        )}
      </details>
    </section>
  );
}
