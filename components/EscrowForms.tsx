"use client";
/**
 * The escrow's donation and refund forms for one project (the shared DonationForm and RefundForm, aimed
 * at AidEscrow): used by the project page's islands and by /donor. Only inside a wallet island
 * (components/wallet/WalletRoot).
 */
import type { Address } from "viem";
import { useTranslations } from "next-intl";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { contractView, contractWrite } from "@/lib/chain/calls";
import { useActiveChain } from "@/hooks/useWallet";
import { DonationForm } from "./DonationForm";
import { RefundForm } from "./RefundForm";

export interface EscrowProjectRef {
  projectId: bigint;
  /** address(0) for ETH. */
  token: Address;
  /** "#4 Danxi school meals", as confirmations name it. */
  name: string;
}

/**
 * `termsVersion`: the version of the terms the page shows. Each donation names it (docs/DECISIONS.md E8):
 * if the manager changed the terms meanwhile, the escrow refuses it (AidEscrowTermsChanged) and nothing is taken.
 */
export function EscrowDonationForm({ projectId, token, name, now, title, termsVersion }: EscrowProjectRef & { now: number; title?: string; termsVersion: bigint }) {
  const { deployment } = useActiveChain();
  const escrow = deployment!.escrow;
  return (
    <DonationForm
      title={title}
      target={{
        name,
        token,
        spender: escrow,
        now,
        donateEth: (amount) => contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donate", args: [projectId, termsVersion], value: amount }),
        donateToken: (amount) => contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateToken", args: [projectId, amount, termsVersion] }),
        donateWithPermit: (amount, deadline, v, r, s) =>
          contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateWithPermit", args: [projectId, amount, termsVersion, deadline, v, r, s] }),
      }}
    />
  );
}

export function EscrowRefundForm({ projectId, token, name }: EscrowProjectRef) {
  const t = useTranslations("refund");
  const { deployment } = useActiveChain();
  const escrow = deployment!.escrow;
  return (
    <RefundForm
      name={name}
      token={token}
      explain={t("explain")}
      refundable={(account) => contractView({ address: escrow, abi: aidEscrowAbi, functionName: "refundableOf", args: [projectId, account] })}
      refund={contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "refund", args: [projectId] })}
    />
  );
}
