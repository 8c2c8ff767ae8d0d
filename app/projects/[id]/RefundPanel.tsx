"use client";
/** The project page's refund island (see components/wallet/islands.tsx). */
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { EscrowRefundForm, type EscrowProjectRef } from "@/components/EscrowForms";

export default function RefundPanel(props: EscrowProjectRef) {
  return (
    <WalletRoot>
      <EscrowRefundForm {...props} />
    </WalletRoot>
  );
}
