"use client";
import { useMemo, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { decodeSignedClaim, type SignedEscrowClaim } from "@/lib/escrow/claim-payload";
import { formatTime } from "@/lib/format/time";
import { pseudonym } from "@/lib/format/text";
import { formatTokenAmount } from "@/lib/format/amount";
import { useEscrowBooks, useTokenInfo } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Amount } from "@/components/Amount";
import { NeedWallet } from "@/components/NeedWallet";

/** Anyone (an official, a relayer) submits a household's signed claim and pays the gas. */
export default function RelayView({ initial }: { initial?: string }) {
  return (
    <WalletRoot>
      <Relay initial={initial} />
    </WalletRoot>
  );
}

function Relay({ initial }: { initial?: string }) {
  const t = useTranslations("relay");
  const locale = useLocale();
  const { deployment, chainId } = useActiveChain();
  const { data } = useEscrowBooks();
  const { write, state, busy, canWrite } = useWrite();
  const [text, setText] = useState(initial ?? "");
  const parsed = useMemo((): { claim?: SignedEscrowClaim; problem?: string } => {
    const v = text.trim();
    if (!v) return {};
    const payload = v.includes("c=") ? (new URL(v, "http://x").searchParams.get("c") ?? "") : v;
    try {
      return { claim: decodeSignedClaim(payload) };
    } catch (e) {
      return { problem: (e as Error).message };
    }
  }, [text]);
  const claim = parsed.claim;
  const p = claim && data?.books.projects.get(String(claim.request.projectId));
  const wrongTarget = claim && (claim.chainId !== chainId || claim.escrow.toLowerCase() !== deployment?.escrow.toLowerCase());
  const tDone = useTranslations("done");
  const token = useTokenInfo(p ? p.terms.token : undefined);
  const paidInWords = () =>
    claim && token
      ? tDone("relayed", { amount: formatTokenAmount(claim.request.amount, token, locale), n: claim.request.trancheIndex + 1, name: pseudonym(claim.request.commitment) })
      : undefined;
  return (
    <>
      <NeedWallet />
      <section className="card">
        <label className="field">
          {t("payload")}
          <textarea value={text} onChange={(e) => setText(e.target.value)} className="mono" data-testid="relay-input" />
        </label>
        {parsed.problem && (
          <p className="error" role="alert">
            {t("invalid")}
          </p>
        )}
        {claim && (
          <dl className="stats">
            <div className="stat">
              <dt>{t("project")}</dt>
              <dd>#{String(claim.request.projectId)}</dd>
            </div>
            <div className="stat">
              <dt>{t("household")}</dt>
              <dd>{pseudonym(claim.request.commitment)}</dd>
            </div>
            <div className="stat">
              <dt>{t("tranche")}</dt>
              <dd>{claim.request.trancheIndex + 1}</dd>
            </div>
            <div className="stat">
              <dt>{t("recipient")}</dt>
              <dd className="mono">{claim.request.recipient}</dd>
            </div>
            <div className="stat">
              <dt>{t("amount")}</dt>
              <dd>{p ? <Amount value={claim.request.amount} token={p.terms.token} /> : String(claim.request.amount)}</dd>
            </div>
            <div className="stat">
              <dt>{t("deadline")}</dt>
              <dd>{formatTime(claim.request.deadline, locale)}</dd>
            </div>
          </dl>
        )}
        {claim && <p className="small muted">{t("safe")}</p>}
        {wrongTarget && (
          <p className="error" role="alert">
            {t("otherChain")}
          </p>
        )}
        <button
          type="button"
          className="btn"
          // Waits for the project and its token, so the confirmation can say what was paid in words.
          disabled={!claim || !!wrongTarget || !canWrite || busy || !token}
          onClick={() =>
            write({
              address: deployment!.escrow,
              abi: aidEscrowAbi as Abi,
              functionName: "claimBySig",
              args: [claim!.request, claim!.signature, []],
            }, paidInWords())
          }
        >
          {t("submit")}
        </button>
        <TxStatus state={state} />
      </section>
    </>
  );
}
