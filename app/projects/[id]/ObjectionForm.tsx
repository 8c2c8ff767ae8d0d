"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useTranslations } from "next-intl";
import type { Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { useObjectionReason } from "@/hooks/useObjectionReason";
import { TxStatus } from "@/components/TxStatus";
import { ObjectionReasonField } from "@/components/ObjectionReasonField";

/**
 * Anyone may object while a household's publicity window is open. The reason is published first (the
 * dApp's server keeps it under its hash, refusing personal data), then its hash goes on chain.
 */
function ObjectionFormInner({ projectId, commitment }: { projectId: bigint; commitment: Hex }) {
  const t = useTranslations("objection");
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const reason = useObjectionReason();
  const id = `reason-${commitment.slice(2, 10)}`;
  return (
    <form
      className="card"
      onSubmit={async (e) => {
        e.preventDefault();
        const reasonHash = await reason.publish();
        if (!reasonHash) return;
        await write({ address: deployment!.escrow, abi: aidEscrowAbi, functionName: "object", args: [projectId, commitment, reasonHash] });
      }}
    >
      <ObjectionReasonField id={id} label={t("reason")} reason={reason} extraHelp={t("help")} />
      <button className="btn secondary" type="submit" disabled={!canWrite || busy || reason.publishing || reason.empty}>
        {t("submit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

/** A wallet island (see components/wallet/islands.tsx). */
export default function ObjectionForm(props: { projectId: bigint; commitment: Hex }) {
  return (
    <WalletRoot>
      <ObjectionFormInner {...props} />
    </WalletRoot>
  );
}
