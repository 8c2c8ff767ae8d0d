"use client";
/**
 * A donor's refund, for every contract that returns money pro rata (the escrow's projects, roster
 * programmes): what the connected account gave (where the contract keeps it), what it would get back
 * now, and the button. Only for wallet islands (components/wallet/WalletRoot).
 */
import { useLocale, useTranslations } from "next-intl";
import { useReadContract } from "wagmi";
import type { Abi, Address, TransactionReceipt } from "viem";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite, type WriteRequest } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Amount } from "@/components/Amount";
import { useTokenInfo } from "@/hooks/useChainData";
import { formatTokenAmount } from "@/lib/format/amount";

export interface ViewCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
}

export function RefundForm(props: {
  /** What the refund comes from, as the confirmation names it. */
  name: string;
  token: Address;
  explain: string;
  /** The views for the connected account: refundableOf and, where the contract has it, contributionOf. */
  refundable: (account: Address) => ViewCall;
  contribution?: (account: Address) => ViewCall;
  refund: WriteRequest;
  onRefunded?: (r: TransactionReceipt) => void;
}) {
  const t = useTranslations("refund");
  const tDone = useTranslations("done");
  const locale = useLocale();
  const info = useTokenInfo(props.token);
  const { address, chainId } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  // Two single reads, not useReadContracts: that one brings wagmi's multicall code into /donor's first load.
  const refundable = useReadContract({ ...(address ? props.refundable(address) : {}), chainId, query: { enabled: !!address } } as never);
  const contribution = useReadContract({ ...(address && props.contribution ? props.contribution(address) : {}), chainId, query: { enabled: !!address && !!props.contribution } } as never);
  const value = refundable.data as bigint | undefined;
  const given = contribution.data as bigint | undefined;
  const refetch = () => Promise.all([refundable.refetch(), props.contribution ? contribution.refetch() : undefined]);
  return (
    <section className="card" aria-labelledby="refund-h" data-testid="refund-form">
      <h2 id="refund-h">{t("title")}</h2>
      <p>{props.explain}</p>
      {!address && <p className="muted">{t("connectFirst")}</p>}
      {/* The contract forgets a contribution once refunded: then only the refund line (0) and why. */}
      {address && !!given && (
        <p data-testid="contribution">
          {t("given")} <Amount value={given} token={props.token} />
        </p>
      )}
      {address && value !== undefined && (
        <p data-testid="refundable">
          {t("yours")} <Amount value={value} token={props.token} />
        </p>
      )}
      {address && value === 0n && (
        <p className="small muted" data-testid="nothing-to-refund">
          {t("nothing")}
        </p>
      )}
      <button
        type="button"
        className="btn"
        disabled={!canWrite || busy || !value || !info}
        onClick={async () => {
          const done = info && value ? tDone("refunded", { amount: formatTokenAmount(value, info, locale), target: props.name }) : undefined;
          const receipt = await write(props.refund, done);
          await refetch();
          if (receipt) props.onRefunded?.(receipt);
        }}
      >
        {t("submit")}
      </button>
      <TxStatus state={state} />
    </section>
  );
}
