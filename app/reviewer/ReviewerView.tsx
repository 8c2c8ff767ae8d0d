"use client";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { HouseholdBook, ProjectBook } from "@/lib/escrow/events";
import { formatTime } from "@/lib/format/time";
import { pseudonym, shortHex } from "@/lib/format/text";
import { useEscrowBooks } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Loading, ProjectName } from "@/components/ProjectBits";
import { NeedWallet } from "@/components/NeedWallet";

export function ReviewerView() {
  return (
    <WalletRoot>
      <Objections />
    </WalletRoot>
  );
}

function Objections() {
  const t = useTranslations("reviewer");
  const { data, error } = useEscrowBooks();
  if (!data) return <Loading error={error} />;
  const pending: [ProjectBook, HouseholdBook][] = [];
  for (const p of data.books.projects.values()) for (const b of p.households.values()) if (b.status === "Objected") pending.push([p, b]);
  return (
    <>
      <NeedWallet />
      <h2>{t("pending", { n: pending.length })}</h2>
      {pending.length === 0 && <p>{t("none")}</p>}
      {pending.map(([p, b]) => (
        <Ruling key={`${p.projectId}-${b.commitment}`} p={p} b={b} />
      ))}
    </>
  );
}

function Ruling({ p, b }: { p: ProjectBook; b: HouseholdBook }) {
  const t = useTranslations("reviewer");
  const locale = useLocale();
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const o = b.objections[b.objections.length - 1];
  const rule = (upheld: boolean) =>
    write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "ruleOnObjection", args: [p.projectId, b.commitment, upheld, b.attesters] });
  return (
    <article className="card" data-testid={`objection-${b.commitment}`}>
      <h3>
        <Link href={`/projects/${p.projectId}`}>
          <ProjectName p={p} />
        </Link>{" "}
        — {t("household", { name: pseudonym(b.commitment) })}
      </h3>
      {o && (
        <p className="small">
          {t("raisedBy", { who: shortHex(o.objector), time: formatTime(o.at, locale) })} <span className="mono">{t("reasonHash", { hash: shortHex(o.reasonHash) })}</span>
        </p>
      )}
      <p className="small muted">{t("attesters", { list: b.attesters.map((a) => shortHex(a)).join(", ") })}</p>
      <div className="row">
        <button type="button" className="btn danger" disabled={!canWrite || busy} onClick={() => rule(true)}>
          {t("uphold")}
        </button>
        <button type="button" className="btn secondary" disabled={!canWrite || busy} onClick={() => rule(false)}>
          {t("dismiss")}
        </button>
      </div>
      <TxStatus state={state} />
    </article>
  );
}
