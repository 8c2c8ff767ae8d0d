"use client";
/**
 * A beneficiary's claim on a roster programme (wallet island). The connected account's record is read
 * from the published roster file by range requests and checked against the on-chain root before
 * anything is offered; then each tranche shows its state, and a claimable one can be claimed directly
 * or without gas (hooks/useRosterClaim.ts, shared with the household page), the money still going only
 * to the leaf's own account.
 */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import type { Address, Hex } from "viem";
import { getBlock } from "viem/actions";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { readClient, readView } from "@/lib/chain/client";
import { OBJECTION_STATUSES, trancheState, type TrancheState } from "@/lib/roster/status";
import { proofMatchesRoot } from "@/lib/roster/leaf";
import { RosterFileError, httpRangeReader, lookupProof, rosterProofsPath } from "@/lib/roster/proof-lookup";
import { useTime } from "@/hooks/useTime";
import { shortHex } from "@/lib/format/text";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { useRosterClaim } from "@/hooks/useRosterClaim";
import { TxStatus } from "@/components/TxStatus";
import { RelayStatus } from "@/components/roster/RelayStatus";
import { WalletRoot } from "@/components/wallet/WalletRoot";

export interface ClaimPanelProps {
  programme: Address;
  chainId: number;
  token: Address;
  symbol: string;
  decimals: number;
  root: Hex;
  version: number;
  claimsOpenAt: number;
  claimDeadline: number;
  cancelledAt?: number;
  paused: boolean;
  trancheUnlockTimes: number[];
  now: number;
  /** The programme's title, as confirmations name it. */
  name: string;
}

function Panel(props: ClaimPanelProps) {
  const t = useTranslations("roster");
  const locale = useLocale();
  const time = useTime();
  const router = useRouter();
  const { address, isConnected } = useActiveChain();
  const [refresh, setRefresh] = useState(0);

  const lookup = useQuery({
    queryKey: ["rosterProof", props.programme, props.root, address],
    enabled: !!address && props.version > 0,
    retry: false,
    staleTime: Infinity,
    queryFn: async () => {
      const record = await lookupProof(httpRangeReader(rosterProofsPath(props.programme)), address!);
      if (!record) return { onRoster: false as const };
      // The file and the server it came through are not trusted: only a proof of the on-chain root is.
      const matches = record.root.toLowerCase() === props.root.toLowerCase() && proofMatchesRoot(record, props.root);
      return matches ? { onRoster: true as const, record } : { onRoster: true as const, mismatch: true as const };
    },
  });
  const record = lookup.data && "record" in lookup.data ? lookup.data.record : undefined;
  const claim = useRosterClaim(props, record && { index: record.index, amount: record.amount, proof: record.proof as Hex[] }, () => {
    setRefresh((r) => r + 1);
    router.refresh(); // the server-rendered funding and claims sections
  });

  const tranches = useQuery({
    queryKey: ["rosterTranches", props.programme, props.version, record?.index.toString(), refresh],
    enabled: !!record,
    queryFn: async () => {
      const client = readClient(props.chainId);
      const [block, objection, settled] = await Promise.all([
        getBlock(client),
        readView(client, { address: props.programme, abi: aidRosterProgrammeAbi, functionName: "objectionStatus", args: [props.version, record!.index] }),
        Promise.all(
          props.trancheUnlockTimes.map((_, i) =>
            readView(client, { address: props.programme, abi: aidRosterProgrammeAbi, functionName: "isSettled", args: [record!.index, BigInt(i)] }),
          ),
        ),
      ]);
      const now = Number(block.timestamp);
      const states: TrancheState[] = props.trancheUnlockTimes.map((unlockTime, i) =>
        trancheState({
          now,
          unlockTime,
          claimsOpenAt: props.claimsOpenAt,
          claimDeadline: props.claimDeadline,
          cancelledAt: props.cancelledAt,
          paused: props.paused,
          settled: settled[i],
          objection: OBJECTION_STATUSES[Number(objection)] ?? "None",
        }),
      );
      return { now, states };
    },
  });

  const amount = claim.amountText;
  const { relay, working } = claim;

  if (props.version === 0) return null;
  return (
    <section className="card" aria-labelledby="claim-h" data-testid="roster-claim">
      <h2 id="claim-h">{t("yourClaim")}</h2>
      {!isConnected && <p className="notice">{t("connectToClaim")}</p>}
      {isConnected && lookup.isPending && (
        <p className="muted" role="status">
          {t("lookingUp")}
        </p>
      )}
      {lookup.error && (
        <p className="error" role="alert" data-testid="roster-lookup-error">
          {t(`file.${lookup.error instanceof RosterFileError ? lookup.error.code : "unreachable"}`)}
        </p>
      )}
      {lookup.data && !lookup.data.onRoster && (
        <p className="notice" data-testid="not-on-roster">
          {t("notOnRoster", { address: shortHex(address ?? "") })}
        </p>
      )}
      {lookup.data && "mismatch" in lookup.data && (
        <p className="error" role="alert" data-testid="roster-mismatch">
          {t("proofMismatch")}
        </p>
      )}
      {record && (
        <>
          <p data-testid="roster-leaf">
            {t("onRoster", { index: String(record.index), amount: amount(record.amount), n: props.trancheUnlockTimes.length })}
          </p>
          <p className="small muted">{t("proofVerified", { depth: record.proof.length })}</p>
          {!tranches.data && <p className="muted">{t("lookingUp")}</p>}
          {tranches.data && (
            <div className="table-wrap">
              <table className="stack">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{t("amount")}</th>
                    <th scope="col">{t("unlocks")}</th>
                    <th scope="col">{t("state")}</th>
                    <th scope="col">
                      <span className="sr-only">{t("actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {props.trancheUnlockTimes.map((u, i) => {
                    const s = tranches.data.states[i];
                    return (
                      <tr key={i} data-testid={`roster-tranche-${i}`} data-state={s}>
                        <td data-label="#">{i + 1}</td>
                        <td data-label={t("amount")}>{amount(record.amount)}</td>
                        <td data-label={t("unlocks")} title={time.utc(u)}>
                          {time(u)}
                        </td>
                        <td data-label={t("state")}>{t(`tranche.${s}`, { time: time(Math.max(u, props.claimsOpenAt)) })}</td>
                        <td data-label={t("actions")}>
                          {s === "claimable" && (
                            <div className="row">
                              <button type="button" className="btn" disabled={!claim.canWrite || working} onClick={() => claim.claimDirectly(i)}>
                                {t("claimN", { n: i + 1 })}
                              </button>
                              <button type="button" className="btn secondary" disabled={!isConnected || working} onClick={() => claim.claimWithoutGas(i)}>
                                {t("claimWithoutGasN", { n: i + 1 })}
                              </button>
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <p className="small muted">{t("withoutGasHelp")}</p>
          <VoidSignatures programme={props.programme} chainId={props.chainId} account={address!} />
        </>
      )}
      <TxStatus state={claim.state} />
      {relay && <RelayStatus relay={relay} chainId={props.chainId} amount={record ? amount(record.amount) : ""} name={props.name} />}
    </section>
  );
}

/**
 * invalidateClaimSignatures(): bumps the account's claimNonce, so every RosterClaim it signed before (all
 * carry the old nonce) stops working, wherever the signature went; nothing already paid is touched, and
 * a new signature (or a direct claim) works as before.
 */
function VoidSignatures({ programme, chainId, account }: { programme: Address; chainId: number; account: Address }) {
  const t = useTranslations("roster");
  const { write, state, busy, canWrite } = useWrite();
  const nonce = useQuery({
    queryKey: ["rosterClaimNonce", chainId, programme, account],
    queryFn: () => readView(readClient(chainId), { address: programme, abi: aidRosterProgrammeAbi, functionName: "claimNonce", args: [account] }),
  });
  return (
    <div className="card" data-testid="roster-void">
      <h3>{t("voidTitle")}</h3>
      <p className="small">{t("voidExplain")}</p>
      {nonce.data !== undefined && (
        <p className="small muted" data-testid="roster-claim-nonce" data-nonce={String(nonce.data)}>
          {t("voidNonce", { n: String(nonce.data) })}
        </p>
      )}
      <button
        type="button"
        className="btn secondary"
        disabled={!canWrite || busy}
        onClick={async () => {
          const receipt = await write({ address: programme, abi: aidRosterProgrammeAbi, functionName: "invalidateClaimSignatures" });
          if (receipt) await nonce.refetch();
        }}
      >
        {t("voidSubmit")}
      </button>
      <TxStatus state={state} />
    </div>
  );
}

export default function ClaimPanel(props: ClaimPanelProps) {
  return (
    <WalletRoot>
      <Panel {...props} />
    </WalletRoot>
  );
}
