"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { donorAllocation } from "@/lib/escrow/events";
import { useEscrowBooks } from "@/hooks/useChainData";
import { projectStatus } from "@/lib/escrow/status";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { Amount } from "@/components/Amount";
import { Loading, ProjectName, StatusBadge } from "@/components/ProjectBits";
import { NeedWallet } from "@/components/NeedWallet";
import RefundPanel from "@/app/projects/[id]/RefundPanel";

export function DonorView() {
  return (
    <WalletRoot>
      <Donations />
    </WalletRoot>
  );
}

function Donations() {
  const t = useTranslations("donor");
  const { address } = useActiveChain();
  const { data, error } = useEscrowBooks();
  if (!address) return <NeedWallet />;
  if (!data) return <Loading error={error} />;
  const mine = [...data.books.projects.values()].filter((p) => p.donors.has(address.toLowerCase() as `0x${string}`));
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
        const status = projectStatus(p, data.now);
        return (
          <article className="card" key={String(p.projectId)} data-testid={`donation-${p.projectId}`}>
            <h3>
              <Link href={`/projects/${p.projectId}`}>
                <ProjectName p={p} />
              </Link>{" "}
              <StatusBadge status={status} />
            </h3>
            <dl className="stats">
              <div className="stat">
                <dt>{t("donated")}</dt>
                <dd><Amount value={a.donated} token={p.terms.token} /></dd>
              </div>
              <div className="stat">
                <dt>{t("toHouseholds")}</dt>
                <dd><Amount value={a.toHouseholds} token={p.terms.token} /></dd>
              </div>
              <div className="stat">
                <dt>{t("refunded")}</dt>
                <dd><Amount value={a.refunded} token={p.terms.token} /></dd>
              </div>
              <div className="stat">
                <dt>{t("held")}</dt>
                <dd><Amount value={a.held} token={p.terms.token} /></dd>
              </div>
            </dl>
            <p className="small muted">{t("explain")}</p>
            {[...p.households.values()].some((b) => b.claims.length > 0) && (
              <ul className="small">
                {[...p.households.values()]
                  .filter((b) => b.claimed > 0n)
                  .map((b) => (
                    <li key={b.commitment}>
                      {t("share", { household: b.commitment.slice(0, 10) })}{" "}
                      <Amount value={p.raised ? (b.claimed * a.donated) / p.raised : 0n} token={p.terms.token} />
                    </li>
                  ))}
              </ul>
            )}
            {(status === "Cancelled" || status === "Closed") && <RefundPanel p={p} />}
          </article>
        );
      })}
    </>
  );
}
