"use client";
/**
 * The donation form of every page that takes money (the escrow's project page, the roster programme
 * page): amount typed in the token's own units (decimals read from the chain), refused with a sentence
 * when it does not parse or exceeds the balance, then ETH in one transaction, or a token through an
 * EIP-2612 permit where the target takes one, else an allowance step (approve, then donate). Only for
 * wallet islands (components/wallet/WalletRoot).
 */
import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { useBalance, useConfig, useReadContracts } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import type { Abi, Address, Hex, TransactionReceipt } from "viem";
import { testStablecoinAbi } from "@/lib/generated/testStablecoin";
import { ZERO_ADDRESS } from "@/lib/chain/deployments";
import { permitTypedData, permitVrs } from "@/lib/chain/permit";
import { checkDonationAmount } from "@/lib/format/donation";
import { formatTokenAmount } from "@/lib/format/amount";
import { useTokenInfo } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite, type WriteRequest } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Amount } from "@/components/Amount";

export interface DonationTarget {
  /** address(0) for ETH. */
  token: Address;
  /** The contract that pulls the tokens: the approve/permit spender. */
  spender: Address;
  donateEth: (amount: bigint) => WriteRequest;
  donateToken: (amount: bigint) => WriteRequest;
  /** Where the target takes an EIP-2612 permit in the same transaction (the escrow does; a roster programme does not). */
  donateWithPermit?: (amount: bigint, deadline: bigint, v: number, r: Hex, s: Hex) => WriteRequest;
  /** Chain time, for the permit's deadline (the demo chain runs ahead of the wall clock). */
  now?: number;
  /** What the donor gives to, as the confirmation names it: "#4 Danxi school meals". */
  name: string;
}

export function DonationForm({ target, title, help, onDonated }: { target: DonationTarget; title?: string; help?: string; onDonated?: (r: TransactionReceipt) => void }) {
  const t = useTranslations("donate");
  const tAmount = useTranslations("amount");
  const tDone = useTranslations("done");
  const locale = useLocale();
  const config = useConfig();
  const { address, chainId } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const [text, setText] = useState("");
  const [usePermit, setUsePermit] = useState(true);
  const [touched, setTouched] = useState(false);
  const { token, spender } = target;
  const isEth = token.toLowerCase() === ZERO_ADDRESS;
  const info = useTokenInfo(token);
  const { symbol, decimals } = info ?? { symbol: "…", decimals: 0 };
  const reads = useReadContracts({
    allowFailure: true,
    query: { enabled: !isEth && !!address },
    contracts: address
      ? [
          { address: token, abi: testStablecoinAbi, functionName: "allowance", args: [address, spender], chainId },
          { address: token, abi: testStablecoinAbi, functionName: "balanceOf", args: [address], chainId },
          { address: token, abi: testStablecoinAbi, functionName: "eip712Domain", chainId },
        ]
      : [],
  });
  const ethBalance = useBalance({ address, chainId, query: { enabled: isEth && !!address } });
  const allowance = reads.data?.[0]?.result as bigint | undefined;
  const balance = isEth ? ethBalance.data?.value : (reads.data?.[1]?.result as bigint | undefined);
  const permitAvailable = !!target.donateWithPermit && reads.data?.[2]?.status === "success";
  // Nothing parses until the token's decimals are known (never guessed).
  const check = checkDonationAmount(text, info?.decimals, balance);
  const amount = check.ok ? check.amount : undefined;
  const needsApproval = !isEth && amount !== undefined && (allowance ?? 0n) < amount;
  const inWords = (value: bigint) => formatTokenAmount(value, { decimals, symbol }, locale);

  async function donated(receipt: TransactionReceipt | undefined) {
    if (!receipt) return;
    setText("");
    setTouched(false);
    await Promise.all([reads.refetch(), ethBalance.refetch()]);
    onDonated?.(receipt);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!amount || !address) return;
    const gave = tDone("gave", { amount: inWords(amount), target: target.name });
    if (isEth) return donated(await write(target.donateEth(amount), gave));
    if (usePermit && permitAvailable && needsApproval) {
      // EIP-2612 permit: the domain comes from the token itself (ERC-5267), never hard-coded.
      const [, name, version, domainChainId, verifyingContract] = (await readContract(config, {
        address: token,
        abi: testStablecoinAbi,
        functionName: "eip712Domain",
        chainId,
      } as never)) as readonly [unknown, string, string, bigint, Address];
      const nonce = (await readContract(config, { address: token, abi: testStablecoinAbi, functionName: "nonces", args: [address], chainId } as never)) as bigint;
      const deadline = BigInt((target.now ?? Math.floor(Date.now() / 1000)) + 3600);
      let signature: Hex;
      try {
        signature = await signTypedData(
          config,
          permitTypedData({ name, version, chainId: domainChainId, token: verifyingContract, message: { owner: address, spender, value: amount, nonce, deadline } }),
        );
      } catch {
        setUsePermit(false); // the wallet refused or cannot sign: offer approve instead
        return;
      }
      const { v, r, s } = permitVrs(signature);
      return donated(await write(target.donateWithPermit!(amount, deadline, v, r, s), gave));
    }
    if (needsApproval) {
      // The allowance step: exactly this amount, so nothing is left approved afterwards.
      const ok = await write(
        { address: token, abi: testStablecoinAbi as Abi, functionName: "approve", args: [spender, amount] },
        tDone("allowed", { amount: inWords(amount), target: target.name }),
      );
      if (!ok) return;
      await reads.refetch();
    }
    return donated(await write(target.donateToken(amount), gave));
  }

  const problem = !!info && touched && !check.ok && check.problem !== "empty" && check.problem !== "decimalsUnknown" ? check.problem : undefined;
  return (
    <section className="card" aria-labelledby="donate-h" data-testid="donate-form">
      <h2 id="donate-h">{title ?? t("title")}</h2>
      <form onSubmit={submit} noValidate>
        <div className="row">
          <label className="field">
            {t("amount", { symbol })}
            <input
              inputMode="decimal"
              name="amount"
              value={text}
              onChange={(e) => setText(e.target.value)}
              onBlur={() => setTouched(true)}
              aria-invalid={!!problem}
              aria-describedby="donate-help"
              placeholder={isEth ? "0.5" : "100"}
            />
          </label>
          <button className="btn" type="submit" disabled={!canWrite || busy || amount === undefined}>
            {isEth || !needsApproval ? t("submit") : usePermit && permitAvailable ? t("submitPermit") : t("submitApprove")}
          </button>
        </div>
        <p id="donate-help" className={problem ? "field-error" : "small muted"} data-testid="donate-help">
          {problem === "overBalance"
            ? t("overBalance", { symbol })
            : problem
              ? tAmount(problem, { decimals })
              : canWrite
                ? (help ?? t("help"))
                : t("connectFirst")}
        </p>
        {!isEth && permitAvailable && (
          <label className="small">
            <input type="checkbox" style={{ width: "auto", minHeight: 0 }} checked={usePermit} onChange={(e) => setUsePermit(e.target.checked)} /> {t("permit")}
          </label>
        )}
        {balance !== undefined && (
          <p className="small muted">
            {t("balance")} <Amount value={balance} token={token} />
          </p>
        )}
      </form>
      <TxStatus state={state} />
    </section>
  );
}
