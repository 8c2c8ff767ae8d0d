"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import type { ProjectBook } from "@/lib/escrow/events";
import { useEscrowBooks } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { DonationForm } from "@/components/DonationForm";
import { useProjectName } from "@/components/ProjectBits";

function DonateFormInner({ p }: { p: ProjectBook }) {
  const { deployment } = useActiveChain();
  const { data } = useEscrowBooks();
  const escrow = deployment!.escrow;
  const abi = aidEscrowAbi as Abi;
  const name = useProjectName(p);
  return (
    <DonationForm
      target={{
        name,
        token: p.terms.token,
        spender: escrow,
        now: data?.now,
        // Each donation names the version of the terms this page shows (docs/DECISIONS.md E8): if the manager
        // changed them meanwhile, the escrow refuses it (AidEscrowTermsChanged) and nothing is taken.
        donateEth: (amount) => ({ address: escrow, abi, functionName: "donate", args: [p.projectId, p.termsVersion], value: amount }),
        donateToken: (amount) => ({ address: escrow, abi, functionName: "donateToken", args: [p.projectId, amount, p.termsVersion] }),
        donateWithPermit: (amount, deadline, v, r, s) => ({ address: escrow, abi, functionName: "donateWithPermit", args: [p.projectId, amount, p.termsVersion, deadline, v, r, s] }),
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
