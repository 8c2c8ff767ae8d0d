"use client";
/** The project page's donation island (see components/wallet/islands.tsx). */
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { EscrowDonationForm, type EscrowProjectRef } from "@/components/EscrowForms";

export default function DonateForm(props: EscrowProjectRef & { now: number; termsVersion: bigint }) {
  return (
    <WalletRoot>
      <EscrowDonationForm {...props} />
    </WalletRoot>
  );
}
