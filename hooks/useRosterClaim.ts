"use client";
/**
 * Claiming one roster tranche (wallet side), for every page that offers it: the programme page's claim
 * panel and the household page. Directly (`claim(index, tranche, amount, proof)` through the one write
 * path, the household pays the gas) or without gas: the household signs `RosterClaim` (EIP-712,
 * lib/roster/typed-data.ts) with its current claimNonce and a deadline a day of chain time ahead, the
 * dApp posts it to the relayer (/api/relayer/v1/claims) and follows it until it is confirmed or refused.
 * Either way the money goes only to the leaf's own account.
 */
import { useEffect, useRef, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { useConfig } from "wagmi";
import { signTypedData } from "wagmi/actions";
import type { Address, Hex } from "viem";
import { getBlock } from "viem/actions";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { CLAIM_TYPES, rosterDomain } from "@/lib/roster/typed-data";
import { readClient, readView } from "@/lib/chain/client";
import { RelayerRequestError, claimStatus, isFinal, submitClaim, type RelayedClaim, type RelayerRefusal } from "@/lib/relayer/client";
import { formatAmount } from "@/lib/format/amount";
import { decodeWebError, type WebError } from "@/lib/errors/decode";
import { useActiveChain } from "./useWallet";
import { useWrite } from "./useWrite";

/** How long a gasless claim signature stays valid (chain time): long enough for a slow relayer queue. */
export const SIGNATURE_LIFETIME = 24 * 60 * 60;
const POLL_MS = 1_500;

/** A gasless claim's progress, step by step (components/roster/RelayStatus.tsx says each in words). */
export type Relay =
  | { step: "signing"; tranche: number }
  | { step: "sending"; tranche: number }
  | { step: "tracking"; tranche: number; claim: RelayedClaim }
  | { step: "refused"; tranche: number; error: RelayerRefusal }
  /** Nothing was signed or sent: the wallet refused, or is on another network. */
  | { step: "notSigned"; tranche: number; error: WebError };

export interface RosterClaimTarget {
  programme: Address;
  chainId: number;
  symbol: string;
  decimals: number;
  /** The programme's title, as confirmations name it. */
  name: string;
}

/** The household's leaf, read from the published file and checked against the on-chain root. */
export interface RosterLeafRecord {
  index: bigint;
  amount: bigint;
  proof: readonly Hex[];
}

export function useRosterClaim(target: RosterClaimTarget, record: RosterLeafRecord | undefined, onPaid: () => void) {
  const tDone = useTranslations("done");
  const locale = useLocale();
  const config = useConfig();
  const { address, wrongNetwork } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const [relay, setRelay] = useState<Relay>();
  const polling = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(polling.current), []);

  const amount = (v: bigint) => `${formatAmount(v, target.decimals, locale)} ${target.symbol}`;
  const refusal = (err: unknown): RelayerRefusal => (err instanceof RelayerRequestError ? err.error : { code: "RelayerUnavailable", message: String(err) });

  async function claimDirectly(tranche: number) {
    if (!record) return;
    setRelay(undefined);
    const receipt = await write(
      { address: target.programme, abi: aidRosterProgrammeAbi, functionName: "claim", args: [record.index, BigInt(tranche), record.amount, record.proof as Hex[]] },
      tDone("claimed", { amount: amount(record.amount), n: tranche + 1, target: target.name }),
    );
    if (receipt) onPaid();
  }

  function track(tranche: number, id: string) {
    const poll = async () => {
      try {
        const claim = await claimStatus(id);
        setRelay({ step: "tracking", tranche, claim });
        if (claim.status === "confirmed") onPaid();
        if (!isFinal(claim.status)) polling.current = setTimeout(poll, POLL_MS);
      } catch (err) {
        setRelay({ step: "refused", tranche, error: refusal(err) });
      }
    };
    polling.current = setTimeout(poll, POLL_MS);
  }

  async function claimWithoutGas(tranche: number) {
    if (!record || !address) return;
    if (wrongNetwork) {
      setRelay({ step: "notSigned", tranche, error: { kind: "wrongNetwork" } });
      return;
    }
    clearTimeout(polling.current);
    setRelay({ step: "signing", tranche });
    const client = readClient(target.chainId);
    let signature: Hex;
    let message;
    try {
      const [nonce, block] = await Promise.all([
        readView(client, { address: target.programme, abi: aidRosterProgrammeAbi, functionName: "claimNonce", args: [address] }),
        getBlock(client),
      ]);
      message = { index: record.index, tranche: BigInt(tranche), account: address, amount: record.amount, nonce, deadline: block.timestamp + BigInt(SIGNATURE_LIFETIME) };
      signature = await signTypedData(config, { account: address, domain: rosterDomain(target.chainId, target.programme), types: CLAIM_TYPES, primaryType: "RosterClaim", message });
    } catch (err) {
      setRelay({ step: "notSigned", tranche, error: decodeWebError(err) });
      return;
    }
    setRelay({ step: "sending", tranche });
    try {
      const { id, status } = await submitClaim({ programme: target.programme, claim: { ...message, proof: record.proof as Hex[], signature } });
      setRelay({ step: "tracking", tranche, claim: { id, status } });
      track(tranche, id);
    } catch (err) {
      setRelay({ step: "refused", tranche, error: refusal(err) });
    }
  }

  const working = busy || relay?.step === "signing" || relay?.step === "sending" || (relay?.step === "tracking" && !isFinal(relay.claim.status));
  return { state, canWrite, relay, working, claimDirectly, claimWithoutGas, amountText: amount };
}
