"use client";
/**
 * Uphold / Dismiss for one objection (wallet island): an escrow household (ruleOnObjection(projectId,
 * commitment, upheld, attesters)) or a roster leaf (ruleOnObjection(index, upheld, account, amount,
 * proof), the leaf and proof read from the published files and checked against the root on the server).
 * After a confirmed ruling the server-rendered page refreshes.
 */
import { useTranslations } from "next-intl";
import type { Address, Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";

export type RulingTarget =
  | { kind: "escrow"; projectId: string; commitment: Hex; attesters: Address[] }
  | { kind: "roster"; programme: Address; index: string; account: Address; amount: string; proof: Hex[] };

function Panel({ target }: { target: RulingTarget }) {
  const t = useTranslations("reviewer");
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  // A confirmed write re-renders the page's server sections (useWrite), so the ruling shows.
  const rule = (upheld: boolean) =>
    target.kind === "escrow"
      ? write({ address: deployment!.escrow, abi: aidEscrowAbi, functionName: "ruleOnObjection", args: [BigInt(target.projectId), target.commitment, upheld, target.attesters] })
      : write({ address: target.programme, abi: aidRosterProgrammeAbi, functionName: "ruleOnObjection", args: [BigInt(target.index), upheld, target.account, BigInt(target.amount), target.proof] });
  return (
    <div>
      <NeedWallet />
      <div className="row">
        <button type="button" className="btn danger" disabled={!canWrite || busy} onClick={() => rule(true)}>
          {t("uphold")}
        </button>
        <button type="button" className="btn secondary" disabled={!canWrite || busy} onClick={() => rule(false)}>
          {t("dismiss")}
        </button>
      </div>
      <TxStatus state={state} />
    </div>
  );
}

export default function RulingPanel(props: { target: RulingTarget }) {
  return (
    <WalletRoot>
      <Panel {...props} />
    </WalletRoot>
  );
}
