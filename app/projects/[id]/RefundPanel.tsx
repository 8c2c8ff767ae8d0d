"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useTranslations } from "next-intl";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { ProjectBook } from "@/lib/escrow/events";
import { useActiveChain } from "@/hooks/useWallet";
import { RefundForm } from "@/components/RefundForm";
import { contractView, contractWrite } from "@/lib/chain/calls";
import { useProjectName } from "@/components/ProjectBits";

function RefundPanelInner({ p }: { p: ProjectBook }) {
  const t = useTranslations("refund");
  const { deployment } = useActiveChain();
  const escrow = deployment!.escrow;
  const name = useProjectName(p);
  return (
    <RefundForm
      name={name}
      token={p.terms.token}
      explain={t("explain")}
      refundable={(account) => contractView({ address: escrow, abi: aidEscrowAbi, functionName: "refundableOf", args: [p.projectId, account] })}
      refund={contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "refund", args: [p.projectId] })}
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
