"use client";
/**
 * The relay page's island: anyone (an official, a relayer) submits a household's signed claim and pays
 * the gas. What the claim is for (the project, its token, whether that tranche is already paid) comes
 * from the server's books (./actions.ts).
 */
import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { decodeSignedClaim, type SignedEscrowClaim } from "@/lib/escrow/claim-payload";
import { useTime } from "@/hooks/useTime";
import { pseudonym, shortHex } from "@/lib/format/text";
import { formatTokenAmount } from "@/lib/format/amount";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { TokenAmount } from "@/components/TokenAmount";
import { NeedWallet } from "@/components/NeedWallet";
import { claimContext } from "./actions";

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
  const time = useTime();
  const { deployment, chainId } = useActiveChain();
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
  const context = useQuery({
    queryKey: ["chain", chainId, "relayContext", claim ? `${claim.request.projectId}/${claim.request.commitment}/${claim.request.trancheIndex}` : ""],
    enabled: !!claim,
    queryFn: async () => (await claimContext(String(claim!.request.projectId), claim!.request.commitment, claim!.request.trancheIndex)) ?? null,
  });
  const p = context.data ?? undefined;
  const wrongTarget = claim && (claim.chainId !== chainId || claim.escrow.toLowerCase() !== deployment?.escrow.toLowerCase());
  const tDone = useTranslations("done");
  const token = p?.tokenInfo;
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
              <dd>{p ? <TokenAmount value={claim.request.amount} token={token} /> : String(claim.request.amount)}</dd>
            </div>
            <div className="stat">
              <dt>{t("deadline")}</dt>
              <dd title={time.utc(claim.request.deadline)} data-testid="relay-deadline">
                {time(claim.request.deadline)}
              </dd>
            </div>
          </dl>
        )}
        {claim && <p className="small muted">{t("safe")}</p>}
        {claim && p?.paid && state.status !== "confirmed" && (
          // Said before anything is sent: submitting again would only revert with a stale signature counter.
          <p className="notice" role="status" data-testid="relay-paid" title={time.utc(p.paid.at)}>
            {t("alreadyPaid", {
              amount: token ? formatTokenAmount(p.paid.amount, token, locale) : "…",
              n: claim.request.trancheIndex + 1,
              name: pseudonym(claim.request.commitment),
              time: time(p.paid.at),
            })}{" "}
            <span className="mono small">
              {t("paidTx")} {shortHex(p.paid.transactionHash, 10, 8)}
            </span>
          </p>
        )}
        {wrongTarget && (
          <p className="error" role="alert">
            {t("otherChain")}
          </p>
        )}
        <button
          type="button"
          className="btn"
          // Waits for the project and its token, so the confirmation can say what was paid in words.
          disabled={!claim || !!wrongTarget || !canWrite || busy || !token || !!p?.paid}
          onClick={() =>
            write({
              address: deployment!.escrow,
              abi: aidEscrowAbi,
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
