"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { ProjectBook } from "@/lib/escrow/events";
import { useEscrowBooks } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { DonationForm } from "@/components/DonationForm";
import { contractWrite } from "@/lib/chain/calls";
import { useProjectName } from "@/components/ProjectBits";

function DonateFormInner({ p }: { p: ProjectBook }) {
  const { deployment } = useActiveChain();
  const { data } = useEscrowBooks();
  const escrow = deployment!.escrow;
  const name = useProjectName(p);
  return (
    <DonationForm
      target={{
        name,
        token: p.terms.token,
        spender: escrow,
        now: data?.now,
        donateEth: (amount) => contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donate", args: [p.projectId], value: amount }),
        donateToken: (amount) => contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateToken", args: [p.projectId, amount] }),
        donateWithPermit: (amount, deadline, v, r, s) =>
          contractWrite({ address: escrow, abi: aidEscrowAbi, functionName: "donateWithPermit", args: [p.projectId, amount, deadline, v, r, s] }),
      }}
    />
  );
}

/** A wallet island (see components/wallet/islands.tsx). */
export default function DonateForm(props: { p: ProjectBook }) {
  return (
    <WalletRoot>
      <DonateFormInner {...props} />
    </WalletRoot>
  );
}
