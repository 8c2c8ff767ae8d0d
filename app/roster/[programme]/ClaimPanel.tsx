"use client";
/**
 * A beneficiary's claim on a roster programme (wallet island). The connected account's record is read
 * from the published roster file by range requests and checked against the on-chain root before
 * anything is offered; then each tranche shows its state, and a claimable one can be claimed directly
 * (the one write path) or without gas: the beneficiary signs RosterClaim (EIP-712, lib/roster/typed-data)
 * and the relayer submits it, the money still going only to the leaf's own account.
 */
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import type { Abi, Address, Hex } from "viem";
import { getBlock } from "viem/actions";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { CLAIM_TYPES, rosterDomain } from "@/lib/roster/typed-data";
import { readClient, readView } from "@/lib/chain/client";
import { OBJECTION_STATUSES, trancheState, type TrancheState } from "@/lib/roster/status";
import { proofMatchesRoot } from "@/lib/roster/leaf";
import { RosterFileError, httpRangeReader, lookupProof, rosterProofsPath } from "@/lib/roster/proof-lookup";
import { RelayerRequestError, claimStatus, isFinal, submitClaim, type RelayedClaim, type RelayerRefusal } from "@/lib/relayer/client";
import { formatAmount } from "@/lib/format/amount";
import { formatTime } from "@/lib/format/time";
import { shortHex } from "@/lib/format/text";
import { txLink } from "@/lib/chain/deployments";
import { decodeWebError, errorInputNames } from "@/lib/errors/decode";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus, useErrorSentence } from "@/components/TxStatus";
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

/** How long a gasless claim signature stays valid (chain time): long enough for a slow relayer queue. */
const SIGNATURE_LIFETIME = 24 * 60 * 60;
const POLL_MS = 1_500;

type Relay =
  | { step: "signing"; tranche: number }
  | { step: "sending"; tranche: number }
  | { step: "tracking"; tranche: number; claim: RelayedClaim }
  | { step: "refused"; tranche: number; error: RelayerRefusal }
  | { step: "notSigned"; tranche: number; sentence: string };

function Panel(props: ClaimPanelProps) {
  const t = useTranslations("roster");
  const tDone = useTranslations("done");
  const locale = useLocale();
  const router = useRouter();
  const config = useConfig();
  const { address, isConnected, wrongNetwork } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const sentence = useErrorSentence();
  const [relay, setRelay] = useState<Relay>();
  const [refresh, setRefresh] = useState(0);
  const polling = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(polling.current), []);

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

  const amount = (v: bigint) => `${formatAmount(v, props.decimals, locale)} ${props.symbol}`;

  const afterPayment = () => {
    setRefresh((r) => r + 1);
    router.refresh(); // the server-rendered funding and claims sections
  };

  async function claimDirectly(tranche: number) {
    setRelay(undefined);
    const receipt = await write(
      {
        address: props.programme,
        abi: aidRosterProgrammeAbi as Abi,
        functionName: "claim",
        args: [record!.index, BigInt(tranche), record!.amount, record!.proof as Hex[]],
      },
      tDone("claimed", { amount: amount(record!.amount), n: tranche + 1, target: props.name }),
    );
    if (receipt) afterPayment();
  }

  function track(tranche: number, id: string) {
    const poll = async () => {
      try {
        const claim = await claimStatus(id);
        setRelay({ step: "tracking", tranche, claim });
        if (claim.status === "confirmed") afterPayment();
        if (!isFinal(claim.status)) polling.current = setTimeout(poll, POLL_MS);
      } catch (err) {
        setRelay({ step: "refused", tranche, error: err instanceof RelayerRequestError ? err.error : { code: "RelayerUnavailable", message: String(err) } });
      }
    };
    polling.current = setTimeout(poll, POLL_MS);
  }

  async function claimWithoutGas(tranche: number) {
    if (!record || !address) return;
    if (wrongNetwork) {
      setRelay({ step: "notSigned", tranche, sentence: sentence({ kind: "wrongNetwork" }) });
      return;
    }
    clearTimeout(polling.current);
    setRelay({ step: "signing", tranche });
    const client = readClient(props.chainId);
    let signature: Hex;
    let message;
    try {
      const [nonce, block] = await Promise.all([
        readView(client, { address: props.programme, abi: aidRosterProgrammeAbi, functionName: "claimNonce", args: [address] }),
        getBlock(client),
      ]);
      message = { index: record.index, tranche: BigInt(tranche), account: address, amount: record.amount, nonce, deadline: block.timestamp + BigInt(SIGNATURE_LIFETIME) };
      signature = await signTypedData(config, {
        account: address,
        domain: rosterDomain(props.chainId, props.programme),
        types: CLAIM_TYPES,
        primaryType: "RosterClaim",
        message,
      });
    } catch (err) {
      const decoded = decodeWebError(err);
      setRelay({ step: "notSigned", tranche, sentence: sentence(decoded) });
      return;
    }
    setRelay({ step: "sending", tranche });
    try {
      const { id, status } = await submitClaim({ programme: props.programme, claim: { ...message, proof: record.proof as Hex[], signature } });
      setRelay({ step: "tracking", tranche, claim: { id, status } });
      track(tranche, id);
    } catch (err) {
      setRelay({ step: "refused", tranche, error: err instanceof RelayerRequestError ? err.error : { code: "RelayerUnavailable", message: String(err) } });
    }
  }

  if (props.version === 0) return null;
  const working = busy || relay?.step === "signing" || relay?.step === "sending" || (relay?.step === "tracking" && !isFinal(relay.claim.status));
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
                        <td data-label={t("unlocks")}>{formatTime(u, locale)}</td>
                        <td data-label={t("state")}>{t(`tranche.${s}`, { time: formatTime(Math.max(u, props.claimsOpenAt), locale) })}</td>
                        <td data-label={t("actions")}>
                          {s === "claimable" && (
                            <div className="row">
                              <button type="button" className="btn" disabled={!canWrite || working} onClick={() => claimDirectly(i)}>
                                {t("claimN", { n: i + 1 })}
                              </button>
                              <button type="button" className="btn secondary" disabled={!isConnected || working} onClick={() => claimWithoutGas(i)}>
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
      <TxStatus state={state} />
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
          const receipt = await write({ address: programme, abi: aidRosterProgrammeAbi as Abi, functionName: "invalidateClaimSignatures" });
          if (receipt) await nonce.refetch();
        }}
      >
        {t("voidSubmit")}
      </button>
      <TxStatus state={state} />
    </div>
  );
}

/** The gasless claim's progress, and every refusal as a sentence (relayer.errors.<code>). */
function RelayStatus({ relay, chainId, amount, name }: { relay: Relay; chainId: number; amount: string; name: string }) {
  const t = useTranslations("relayer");
  const n = relay.tranche + 1;
  if (relay.step === "signing" || relay.step === "sending")
    return (
      <p className="pending" role="status" data-testid="relay-status" data-status={relay.step}>
        {t(relay.step, { n })}
      </p>
    );
  if (relay.step === "notSigned")
    return (
      <p className="notice" role="status" data-testid="relay-status" data-status="notSigned">
        {relay.sentence}
      </p>
    );
  if (relay.step === "refused") return <RelayerRefusalNotice error={relay.error} />;
  const c = relay.claim;
  if (c.status === "skipped" || c.status === "failed") {
    const code = c.error?.code;
    return (
      <p className="error" role="alert" data-testid="relay-status" data-status={c.status}>
        {t(c.status, { n })} {code && t.has(`errors.${code}`) ? t(`errors.${code}`, { reason: c.error?.message ?? "", seconds: "60" }) : (c.error?.message ?? "")}
      </p>
    );
  }
  const link = c.txHash ? txLink(chainId, c.txHash) : undefined;
  return (
    <p className={c.status === "confirmed" ? "success" : "pending"} role="status" data-testid="relay-status" data-status={c.status}>
      {t(c.status, { n, batch: c.batchSize ?? 1, amount, target: name })}{" "}
      {c.txHash &&
        (link ? (
          <a href={link} target="_blank" rel="noreferrer" className="mono">
            {shortHex(c.txHash, 10, 8)}
          </a>
        ) : (
          <span className="mono" title={c.txHash} data-testid="relay-tx">
            {shortHex(c.txHash, 10, 8)}
          </span>
        ))}
      {c.status !== "confirmed" && <span className="sr-only">{t("polling")}</span>}
    </p>
  );
}

function RelayerRefusalNotice({ error }: { error: RelayerRefusal }) {
  const t = useTranslations("relayer");
  const tAll = useTranslations();
  const sentence = useErrorSentence();
  // The relayer names the custom error its simulation hit: say it the way a direct claim would.
  let reason: string | undefined;
  const name = error.params?.error;
  if (typeof name === "string" && tAll.has(`errors.${name}`)) {
    const raw = error.params?.args;
    const names = errorInputNames(name);
    const given: Record<string, unknown> = Array.isArray(raw) ? Object.fromEntries(raw.map((v, i) => [names[i] ?? `arg${i}`, v])) : ((raw as Record<string, unknown>) ?? {});
    // JSON carries uint256 values as decimal strings; times and statuses are formatted from numbers.
    const args = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, typeof v === "string" && /^\d+$/.test(v) ? BigInt(v) : v]));
    if (names.every((k) => k in args)) reason = sentence({ kind: "revert", name, args });
  }
  const text =
    error.code === "NotClaimable" && reason
      ? reason
      : tAll.has(`relayer.errors.${error.code}`)
        ? t(`errors.${error.code}`, { reason: reason ?? (typeof name === "string" ? name : error.message), seconds: String(error.retryAfter ?? 60) })
        : t("unknownError", { code: error.code, message: error.message.slice(0, 200) });
  return (
    <p className="error" role="alert" data-testid="relay-status" data-status="refused" data-code={error.code}>
      {text}
    </p>
  );
}

export default function ClaimPanel(props: ClaimPanelProps) {
  return (
    <WalletRoot>
      <Panel {...props} />
    </WalletRoot>
  );
}
