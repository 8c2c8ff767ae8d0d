"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useTranslations } from "next-intl";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { ProjectBook } from "@/lib/escrow/events";
import { useActiveChain } from "@/hooks/useWallet";
import { RefundForm } from "@/components/RefundForm";
import { useProjectName } from "@/components/ProjectBits";

function RefundPanelInner({ p }: { p: ProjectBook }) {
  const t = useTranslations("refund");
  const { deployment } = useActiveChain();
  const escrow = deployment!.escrow;
  const abi = aidEscrowAbi as Abi;
  const name = useProjectName(p);
  return (
    <RefundForm
      name={name}
      token={p.terms.token}
      explain={t("explain")}
      refundable={(account) => ({ address: escrow, abi, functionName: "refundableOf", args: [p.projectId, account] })}
      refund={{ address: escrow, abi, functionName: "refund", args: [p.projectId] }}
    />
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
