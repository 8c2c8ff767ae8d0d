"use client";
/**
 * Uphold / Dismiss for one objection (wallet island): an escrow household (ruleOnObjection(projectId,
 * commitment, upheld, attesters)) or a roster leaf (ruleOnObjection(index, upheld, account, amount,
 * proof), the leaf and proof read from the published files and checked against the root on the server).
 * After a confirmed ruling the server-rendered page refreshes.
 */
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Abi, Address, Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite, type WriteRequest } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";

export type RulingTarget =
  | { kind: "escrow"; projectId: string; commitment: Hex; attesters: Address[] }
  | { kind: "roster"; programme: Address; index: string; account: Address; amount: string; proof: Hex[] };

function Panel({ target }: { target: RulingTarget }) {
  const t = useTranslations("reviewer");
  const router = useRouter();
  const { deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const request = (upheld: boolean): WriteRequest =>
    target.kind === "escrow"
      ? { address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "ruleOnObjection", args: [BigInt(target.projectId), target.commitment, upheld, target.attesters] }
      : { address: target.programme, abi: aidRosterProgrammeAbi as Abi, functionName: "ruleOnObjection", args: [BigInt(target.index), upheld, target.account, BigInt(target.amount), target.proof] };
  const rule = async (upheld: boolean) => {
    const receipt = await write(request(upheld));
    if (receipt) router.refresh();
  };
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
