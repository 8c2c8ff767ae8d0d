"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useTranslations } from "next-intl";
import { useReadContract } from "wagmi";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/contracts";
import type { ProjectBook } from "@/lib/web/ledger";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Amount } from "@/components/Amount";

function RefundPanelInner({ p }: { p: ProjectBook }) {
  const t = useTranslations("refund");
  const { deployment, address, chainId } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const refundable = useReadContract({
    address: deployment?.escrow,
    abi: aidEscrowAbi,
    functionName: "refundableOf",
    args: address ? [p.projectId, address] : undefined,
    chainId,
    query: { enabled: !!address && !!deployment },
  });
  const value = refundable.data as bigint | undefined;
  return (
    <section className="card" aria-labelledby="refund-h">
      <h2 id="refund-h">{t("title")}</h2>
      <p>{t("explain")}</p>
      {!address && <p className="muted">{t("connectFirst")}</p>}
      {address && value !== undefined && (
        <p data-testid="refundable">
          {t("yours")} <Amount value={value} token={p.terms.token} />
        </p>
      )}
      <button
        type="button"
        className="btn"
        disabled={!canWrite || busy || !value}
        onClick={async () => {
          await write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "refund", args: [p.projectId] });
          await refundable.refetch();
        }}
      >
        {t("submit")}
      </button>
      <TxStatus state={state} />
    </section>
  );
}

/** A wallet island (see components/wallet/islands.tsx). */
export default function RefundPanel(props: { p: ProjectBook }) {
  return (
    <WalletRoot>
      <RefundPanelInner {...props} />
    </WalletRoot>
  );
}

