"use client";
/**
 * Cancellation approval on a roster programme page (wallet island). The page renders what cancelling means
 * and who has approved so far; this offers approveCancellation() to the two people whose approvals count:
 * the programme's manager and a reviewer (registry roles, read for the connected account), in the capacity
 * the contract would count it (cancellationStanding), and tells anyone else why there is no button. The
 * giver of the half in force may take it back (withdrawCancellation()).
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { Address } from "viem";
import { aidRegistryAbi } from "@/lib/generated/aidRegistry";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { readClient, readView } from "@/lib/chain/client";
import { cancellationStanding } from "@/lib/roster/status";
import { type CancellationApproval } from "@/lib/roster/programme";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";

export interface CancelProps {
  programme: Address;
  manager: Address;
  /** The half in force (none, or one: cancellationApproval()). */
  approvals: Pick<CancellationApproval, "approver" | "asReviewer">[];
}

function Approve({ programme, manager, approvals }: CancelProps) {
  const t = useTranslations("roster");
  const tr = useTranslations("connect.roles");
  const { address, chainId, deployment } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const roles = useQuery({
    queryKey: ["rosterCancelRoles", chainId, programme, address],
    enabled: !!address && !!deployment,
    queryFn: async () => {
      const client = readClient(chainId);
      const registry = deployment!.registry;
      const [managerRole, reviewerRole] = await Promise.all([
        readView(client, { address: registry, abi: aidRegistryAbi, functionName: "MANAGER_ROLE" }),
        readView(client, { address: registry, abi: aidRegistryAbi, functionName: "REVIEWER_ROLE" }),
      ]);
      const [hasManagerRole, hasReviewerRole] = await Promise.all([
        readView(client, { address: registry, abi: aidRegistryAbi, functionName: "hasRole", args: [managerRole, address!] }),
        readView(client, { address: registry, abi: aidRegistryAbi, functionName: "hasRole", args: [reviewerRole, address!] }),
      ]);
      return { hasManagerRole, hasReviewerRole };
    },
  });
  const standing = address && roles.data ? cancellationStanding({ account: address, manager, approvals, ...roles.data }) : undefined;
  const mine = !!address && approvals.some((a) => a.approver.toLowerCase() === address.toLowerCase());
  return (
    <div data-testid="roster-cancel-action">
      <NeedWallet />
      {standing?.as === "none" && (
        <p className="muted small" data-testid="cancel-not-allowed">
          {t("cancelNotAllowed")}
        </p>
      )}
      {standing && standing.as !== "none" && standing.given && (
        <p className="muted small" data-testid="cancel-given">
          {t("cancelGiven", { role: tr(standing.as) })}
        </p>
      )}
      {standing && standing.as !== "none" && !standing.given && (
        <button
          type="button"
          className="btn danger"
          disabled={!canWrite || busy}
          onClick={async () => {
            // A confirmed write re-renders the page's server sections (useWrite), so the approval shows.
            await write({ address: programme, abi: aidRosterProgrammeAbi, functionName: "approveCancellation" });
          }}
        >
          {t("cancelSubmit", { role: tr(standing.as) })}
        </button>
      )}
      {mine && (
        <button
          type="button"
          className="btn secondary"
          disabled={!canWrite || busy}
          onClick={async () => {
            // A confirmed write re-renders the page's server sections (useWrite).
            await write({ address: programme, abi: aidRosterProgrammeAbi, functionName: "withdrawCancellation" });
          }}
        >
          {t("cancelWithdraw")}
        </button>
      )}
      <TxStatus state={state} />
    </div>
  );
}

export default function CancelPanel(props: CancelProps) {
  return (
    <WalletRoot>
      <Approve {...props} />
    </WalletRoot>
  );
}
