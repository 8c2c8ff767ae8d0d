"use client";
/**
 * Donors on a roster programme page (wallet islands): donate while the programme is raising money
 * (donate() for ETH, donateToken(amount) after an allowance step for its ERC-20), and take a refund once it
 * is Cancelled or Closed. The forms are the escrow pages' own (components/DonationForm, RefundForm);
 * after a confirmed write the server-rendered money section is re-rendered (router.refresh()).
 */
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Abi, Address } from "viem";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { DonationForm } from "@/components/DonationForm";
import { RefundForm } from "@/components/RefundForm";
import { WalletRoot } from "@/components/wallet/WalletRoot";

const abi = aidRosterProgrammeAbi as Abi;

export interface FundsProps {
  programme: Address;
  token: Address;
  now: number;
  /** The programme's title, as confirmations name it. */
  name: string;
}

function Donate({ programme, token, now, name }: FundsProps) {
  const t = useTranslations("roster");
  const router = useRouter();
  return (
    <DonationForm
      title={t("donateTitle")}
      help={t("donateHelp")}
      onDonated={() => router.refresh()}
      target={{
        name,
        token,
        spender: programme,
        now,
        donateEth: (amount) => ({ address: programme, abi, functionName: "donate", value: amount }),
        donateToken: (amount) => ({ address: programme, abi, functionName: "donateToken", args: [amount] }),
      }}
    />
  );
}

function Refund({ programme, token, cancelled, name }: FundsProps & { cancelled: boolean }) {
  const t = useTranslations("roster");
  const router = useRouter();
  return (
    <RefundForm
      name={name}
      token={token}
      explain={t(cancelled ? "refundExplainCancelled" : "refundExplainClosed")}
      contribution={(account) => ({ address: programme, abi, functionName: "contributionOf", args: [account] })}
      refundable={(account) => ({ address: programme, abi, functionName: "refundableOf", args: [account] })}
      refund={{ address: programme, abi, functionName: "refund" }}
      onRefunded={() => router.refresh()}
    />
  );
}

export function RosterDonatePanel(props: FundsProps) {
  return (
    <WalletRoot>
      <Donate {...props} />
    </WalletRoot>
  );
}

export function RosterRefundPanel(props: FundsProps & { cancelled: boolean }) {
  return (
    <WalletRoot>
      <Refund {...props} />
    </WalletRoot>
  );
}
