"use client";
/**
 * The donor page's island: the donation form for a project that is raising money (chosen from a list),
 * then the connected account's donations with where each unit went, and a refund where one is open.
 */
import { useState } from "react";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { Address } from "viem";
import { donorAllocation, type ProjectBook } from "@/lib/books/escrow";
import type { ProjectStatusName } from "@/lib/escrow/status";
import type { TokenInfo } from "@/lib/chain/tokens";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { EscrowDonationForm, EscrowRefundForm } from "@/components/EscrowForms";
import { StatusBadge } from "@/components/ProjectBits";
import { TokenAmount } from "@/components/TokenAmount";
import { NeedWallet } from "@/components/NeedWallet";

/** What the donor page shows of a project (read on the server). */
export interface DonorProject extends Pick<ProjectBook, "projectId" | "raised" | "claimed" | "donors" | "termsVersion"> {
  name: string;
  status: ProjectStatusName;
  token: Address;
  tokenInfo: TokenInfo | undefined;
  /** Households paid so far, by pseudonym. */
  households: { name: string; claimed: bigint }[];
}

function Give({ projects, now }: { projects: DonorProject[]; now: number }) {
  const t = useTranslations("donor");
  const funding = projects.filter((p) => p.status === "Funding");
  const [chosen, setChosen] = useState(funding[0] ? String(funding[0].projectId) : "");
  const p = funding.find((x) => String(x.projectId) === chosen);
  return (
    <section className="card" aria-labelledby="give-h" data-testid="donor-give">
      <h2 id="give-h">{t("give")}</h2>
      {funding.length === 0 ? (
        <p className="muted">{t("noneFunding")}</p>
      ) : (
        <>
          <label className="field">
            {t("project")}
            <select value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="donor-project">
              {funding.map((x) => (
                <option key={String(x.projectId)} value={String(x.projectId)}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <p className="small muted">{t("giveHelp")}</p>
          {p && <EscrowDonationForm key={chosen} projectId={p.projectId} token={p.token} name={p.name} now={now} title={p.name} termsVersion={p.termsVersion} />}
        </>
      )}
    </section>
  );
}

function Mine({ projects }: { projects: DonorProject[] }) {
  const t = useTranslations("donor");
  const { address } = useActiveChain();
  if (!address) return <NeedWallet />;
  const mine = projects.filter((p) => p.donors.has(address.toLowerCase() as Address));
  return (
    <>
      <h2>{t("mine")}</h2>
      {mine.length === 0 && (
        <p>
          {t("none")} <Link href="/">{t("browse")}</Link>
        </p>
      )}
      {mine.map((p) => {
        const a = donorAllocation(p, address)!;
        return (
          <article className="card" key={String(p.projectId)} data-testid={`donation-${p.projectId}`}>
            <h3>
              <Link href={`/projects/${p.projectId}`}>{p.name}</Link> <StatusBadge status={p.status} />
            </h3>
            <dl className="stats">
              <div className="stat">
                <dt>{t("donated")}</dt>
                <dd>
                  <TokenAmount value={a.donated} token={p.tokenInfo} />
                </dd>
              </div>
              <div className="stat">
                <dt>{t("toHouseholds")}</dt>
                <dd>
                  <TokenAmount value={a.toHouseholds} token={p.tokenInfo} />
                </dd>
              </div>
              <div className="stat">
                <dt>{t("refunded")}</dt>
                <dd>
                  <TokenAmount value={a.refunded} token={p.tokenInfo} />
                </dd>
              </div>
              <div className="stat">
                <dt>{t("held")}</dt>
                <dd>
                  <TokenAmount value={a.held} token={p.tokenInfo} />
                </dd>
              </div>
            </dl>
            <p className="small muted">{t("explain")}</p>
            {p.households.length > 0 && (
              <ul className="small">
                {p.households.map((b) => (
                  <li key={b.name}>
                    {t("share", { household: b.name })} <TokenAmount value={p.raised ? (b.claimed * a.donated) / p.raised : 0n} token={p.tokenInfo} />
                  </li>
                ))}
              </ul>
            )}
            {(p.status === "Cancelled" || p.status === "Closed") && <EscrowRefundForm projectId={p.projectId} token={p.token} name={p.name} />}
          </article>
        );
      })}
    </>
  );
}

export default function DonorPanels({ projects, now }: { projects: DonorProject[]; now: number }) {
  return (
    <WalletRoot>
      <Give projects={projects} now={now} />
      <Mine projects={projects} />
    </WalletRoot>
  );
}
