"use client";
import { useEffect, useState } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import dynamic from "next/dynamic";
import { isAddress, type Address, type Hex } from "viem";
import { readView } from "@/lib/chain/client";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { aidRegistryAbi } from "@/lib/generated/aidRegistry";
import { currentAttestations, type HouseholdBook, type EscrowBooks, type ProjectBook } from "@/lib/escrow/events";
import { formatTime } from "@/lib/format/time";
import { claimableTranches, trancheClaimable } from "@/lib/escrow/status";
import { pseudonym, shortHex } from "@/lib/format/text";
import { conditionName } from "@/lib/registry/catalogue";
import { useChainQuery, useEscrowBooks, useReadChain } from "@/hooks/useChainData";
import { EnrolmentActionsIsland as EnrolmentActions } from "./islands";
import { Amount } from "@/components/Amount";
import { Loading, ProjectName, StatusBadge } from "@/components/ProjectBits";

// The QR code is drawn only when asked for, so qrcode.react stays out of the first load.
const QRCodeSVG = dynamic(() => import("qrcode.react").then((m) => m.QRCodeSVG), { ssr: false });

export function BeneficiaryView({ address: fromLink }: { address?: string }) {
  const t = useTranslations("beneficiary");
  const { address: connected } = useReadChain();
  const [typed, setTyped] = useState(fromLink ?? "");
  const subject = (fromLink && isAddress(fromLink) ? fromLink : connected) as Address | undefined;
  const [shown, setShown] = useState<Address | undefined>(subject);
  useEffect(() => setShown(subject), [subject]);
  const { data, error } = useEscrowBooks();
  const commitment = useChainQuery(
    ["commitmentOf", shown],
    (client, d) => readView(client, { address: d.registry, abi: aidRegistryAbi, functionName: "commitmentOf", args: [shown!] }),
    !!shown,
  );
  const c = commitment.data as Hex | undefined;
  return (
    <>
      <form
        className="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (isAddress(typed.trim())) setShown(typed.trim() as Address);
        }}
      >
        <label className="field">
          {t("lookup")}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={t("hexPlaceholder")} autoComplete="off" />
        </label>
        <button className="btn secondary" type="submit">
          {t("show")}
        </button>
      </form>
      {!shown && <p className="notice">{t("enterAddress")}</p>}
      {shown && !data && <Loading error={error} />}
      {shown && data && c && /^0x0{64}$/.test(c) && <p className="notice">{t("notBound", { address: shortHex(shown) })}</p>}
      {shown && data && c && !/^0x0{64}$/.test(c) && <Household account={shown} commitment={c} books={data.books} now={data.now} />}
    </>
  );
}

function Household({ account, commitment, books, now }: { account: Address; commitment: Hex; books: EscrowBooks; now: number }) {
  const t = useTranslations("beneficiary");
  const projects = [...books.projects.values()].filter((p) => p.households.has(commitment));
  const link = typeof window !== "undefined" ? `${window.location.origin}/beneficiary?address=${account}` : "";
  return (
    <>
      <section className="card" aria-labelledby="hh-h">
        <h2 id="hh-h">{t("household", { name: pseudonym(commitment) })}</h2>
        <p className="small">
          {t("account")} <span className="mono">{account}</span>
        </p>
        <p className="small muted">
          {t("commitment")} <span className="mono">{shortHex(commitment, 10, 8)}</span>
        </p>
        <details>
          <summary>{t("qrStatus")}</summary>
          {link && (
            <div className="qr">
              <QRCodeSVG value={link} size={160} title={t("qrStatus")} />
            </div>
          )}
          <p className="small mono">{link}</p>
        </details>
      </section>
      {projects.length === 0 && <p>{t("noProjects")}</p>}
      {projects.map((p) => (
        <Enrolment key={String(p.projectId)} p={p} b={p.households.get(commitment)!} account={account} books={books} now={now} />
      ))}
    </>
  );
}

function Enrolment({ p, b, account, books, now }: { p: ProjectBook; b: HouseholdBook; account: Address; books: EscrowBooks; now: number }) {
  const t = useTranslations("beneficiary");
  const tp = useTranslations("project");
  const locale = useLocale();
  const reads = useChainQuery(["enrolment", String(p.projectId), b.commitment, books.events.length], (client, d) =>
    readView(client, { address: d.escrow, abi: aidEscrowAbi, functionName: "enrolment", args: [p.projectId, b.commitment] }),
  );
  const enrol = reads.data as { settledMask: number } | undefined;
  const atts = currentAttestations(books, b.commitment);
  const basis = p.terms.conditions.map((c) => {
    const valid = (atts.get(c) ?? []).filter((r) => !r.revoked && now < r.expiry);
    return { c, valid, all: atts.get(c) ?? [], ok: valid.length >= p.terms.threshold };
  });
  const eligible = basis.every((x) => x.ok);

  return (
    <section className="card" aria-labelledby={`en-${p.projectId}`} data-testid={`enrolment-${p.projectId}`}>
      <h2 id={`en-${p.projectId}`}>
        <Link href={`/projects/${p.projectId}`}>
          <ProjectName p={p} />
        </Link>{" "}
        <StatusBadge status={b.status} kind="enrolment" />
      </h2>
      <p className={eligible ? "success" : "error"}>{eligible ? t("eligible") : t("notEligible")}</p>
      <h3>{t("basis")}</h3>
      <ul>
        {basis.map(({ c, valid, all, ok }) => (
          <li key={c}>
            {conditionName(c, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}: {t("attestedBy", { n: valid.length, k: p.terms.threshold })} {ok ? "✓" : "✗"}
            <ul className="small">
              {all.map((r) => (
                <li key={r.official}>
                  {t("attestation", { who: shortHex(r.official), score: r.score, time: formatTime(r.attestedAt, locale, false), expiry: formatTime(r.expiry, locale, false) })}
                  {r.revoked && ` — ${tp("revoked")}`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p className="small muted">
        {now < b.windowEndsAt ? t("windowOpen", { time: formatTime(b.windowEndsAt, locale) }) : t("windowClosed", { time: formatTime(b.windowEndsAt, locale) })}
      </p>
      <h3>{t("tranches")}</h3>
      <div className="table-wrap">
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("amount")}</th>
              <th scope="col">{t("unlocks")}</th>
              <th scope="col">{t("state")}</th>
            </tr>
          </thead>
          <tbody>
            {p.terms.trancheUnlockTimes.map((u, i) => {
              const claim = b.claims.find((c) => c.trancheIndex === i);
              const settled = enrol ? ((enrol.settledMask >> i) & 1) === 1 : !!claim;
              const claimable = trancheClaimable(p, b, i, settled, now, eligible);
              const stateText = claim
                ? t("claimedOn", { time: formatTime(claim.at, locale) })
                : settled
                  ? t("forfeited")
                  : now < u
                    ? t("locked")
                    : claimable
                      ? t("claimable")
                      : t("notPayable");
              return (
                <tr key={i} data-testid={`tranche-${p.projectId}-${i}`}>
                  <td data-label="#">{i + 1}</td>
                  <td data-label={t("amount")}>
                    <Amount value={p.terms.amountPerTranche} token={p.terms.token} />
                  </td>
                  <td data-label={t("unlocks")}>{formatTime(u, locale)}</td>
                  <td data-label={t("state")}>{stateText}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <EnrolmentActions p={p} b={b} account={account} now={now} claimable={claimableTranches(p, b, enrol?.settledMask, now, eligible)} />
      <h3>{t("history")}</h3>
      <ul className="feed">
        <li>{t("hEnrolled", { time: formatTime(b.enrolledAt, locale), who: shortHex(b.enrolledBy) })}</li>
        {b.objections.map((o, i) => (
          <li key={`o${i}`}>{t("hObjection", { time: formatTime(o.at, locale) })}</li>
        ))}
        {b.claims.map((c) => (
          <li key={c.transactionHash}>
            {t("hClaimed", { n: c.trancheIndex + 1, time: formatTime(c.at, locale) })} <Amount value={c.amount} token={p.terms.token} />
          </li>
        ))}
      </ul>
    </section>
  );
}
