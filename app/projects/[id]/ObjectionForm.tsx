"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { keccak256, toBytes, type Abi, type Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";

/** Anyone may object while a household's publicity window is open; only the reason's hash goes on chain. */
function ObjectionFormInner({ projectId, commitment }: { projectId: bigint; commitment: Hex }) {
  const t = useTranslations("objection");
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const [reason, setReason] = useState("");
  const id = `reason-${commitment.slice(2, 10)}`;
  return (
    <form
      className="card"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!reason.trim()) return;
        await write({
          address: deployment!.escrow,
          abi: aidEscrowAbi as Abi,
          functionName: "object",
          args: [projectId, commitment, keccak256(toBytes(reason.trim()))],
        });
      }}
    >
      <label className="field" htmlFor={id}>
        {t("reason")}
      </label>
      <textarea id={id} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={`${id}-help`} />
      <p id={`${id}-help`} className="small muted">
        {t("help")}
      </p>
      <button className="btn secondary" type="submit" disabled={!canWrite || busy || !reason.trim()}>
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

