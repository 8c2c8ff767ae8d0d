"use client";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useConfig, useReadContracts } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import { parseSignature, type Abi, type Address } from "viem";
import { aidEscrowAbi, testStablecoinAbi } from "@/lib/generated/contracts";
import type { ProjectBook } from "@/lib/web/ledger";
import { parseAmount } from "@/lib/web/format";
import { ZERO_ADDRESS } from "@/lib/web/chain";
import { useLedger, useTokenInfo } from "@/hooks/useChainData";
import { useActiveChain } from "@/hooks/useWallet";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Amount } from "@/components/Amount";

function DonateFormInner({ p }: { p: ProjectBook }) {
  const t = useTranslations("donate");
  const config = useConfig();
  const { deployment, address, chainId } = useActiveChain();
  const { data } = useLedger();
  const { write, state, busy, canWrite } = useWrite();
  const [text, setText] = useState("");
  const [usePermit, setUsePermit] = useState(true);
  const [touched, setTouched] = useState(false);
  const token = p.terms.token;
  const isEth = token.toLowerCase() === ZERO_ADDRESS;
  const info = useTokenInfo(token);
  const { symbol, decimals } = info ?? { symbol: "…", decimals: 0 };
  // Nothing parses until the token's decimals are known (never guessed).
  const amount = info ? parseAmount(text, decimals) : undefined;
  const reads = useReadContracts({
    allowFailure: true,
    query: { enabled: !isEth && !!address },
    contracts: address
      ? [
          { address: token, abi: testStablecoinAbi, functionName: "allowance", args: [address, deployment!.escrow], chainId },
          { address: token, abi: testStablecoinAbi, functionName: "balanceOf", args: [address], chainId },
          { address: token, abi: testStablecoinAbi, functionName: "eip712Domain", chainId },
        ]
      : [],
  });
  const allowance = reads.data?.[0]?.result as bigint | undefined;
  const balance = reads.data?.[1]?.result as bigint | undefined;
  const permitAvailable = reads.data?.[2]?.status === "success";
  const needsApproval = !isEth && amount !== undefined && (allowance ?? 0n) < amount;
  const escrow = deployment!.escrow;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!amount || !address) return;
    if (isEth) {
      await write({ address: escrow, abi: aidEscrowAbi as Abi, functionName: "donate", args: [p.projectId], value: amount });
      return;
    }
    if (usePermit && permitAvailable && needsApproval) {
      // EIP-2612 permit: the domain comes from the token itself (ERC-5267), never hard-coded.
      const [, name, version, domainChainId, verifyingContract] = (await readContract(config, {
        address: token,
        abi: testStablecoinAbi,
        functionName: "eip712Domain",
        chainId,
      } as never)) as readonly [unknown, string, string, bigint, Address];
      const nonce = (await readContract(config, { address: token, abi: testStablecoinAbi, functionName: "nonces", args: [address], chainId } as never)) as bigint;
      const deadline = BigInt((data?.now ?? Math.floor(Date.now() / 1000)) + 3600);
      let signature: `0x${string}`;
      try {
        signature = await signTypedData(config, {
          domain: { name, version, chainId: Number(domainChainId), verifyingContract },
          types: {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          primaryType: "Permit",
          message: { owner: address, spender: escrow, value: amount, nonce, deadline },
        });
      } catch {
        setUsePermit(false); // the wallet refused or cannot sign: offer approve instead
        return;
      }
      const { r, s, v, yParity } = parseSignature(signature);
      await write({
        address: escrow,
        abi: aidEscrowAbi as Abi,
        functionName: "donateWithPermit",
        args: [p.projectId, amount, deadline, Number(v ?? BigInt(yParity + 27)), r, s],
      });
      return;
    }
    if (needsApproval) {
      const ok = await write({ address: token, abi: testStablecoinAbi as Abi, functionName: "approve", args: [escrow, amount] });
      if (!ok) return;
      await reads.refetch();
    }
    await write({ address: escrow, abi: aidEscrowAbi as Abi, functionName: "donateToken", args: [p.projectId, amount] });
  }

  const invalid = !!info && touched && text !== "" && amount === undefined;
  return (
    <section className="card" aria-labelledby="donate-h">
      <h2 id="donate-h">{t("title")}</h2>
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
              aria-invalid={invalid}
              aria-describedby="donate-help"
              placeholder={isEth ? "0.5" : "100"}
            />
          </label>
          <button className="btn" type="submit" disabled={!canWrite || busy || amount === undefined}>
            {isEth || !needsApproval ? t("submit") : usePermit && permitAvailable ? t("submitPermit") : t("submitApprove")}
          </button>
        </div>
        <p id="donate-help" className={invalid ? "field-error" : "small muted"}>
          {invalid ? t("invalid", { decimals }) : canWrite ? t("help") : t("connectFirst")}
        </p>
        {!isEth && permitAvailable && (
          <label className="small">
            <input type="checkbox" style={{ width: "auto", minHeight: 0 }} checked={usePermit} onChange={(e) => setUsePermit(e.target.checked)} /> {t("permit")}
          </label>
        )}
        {!isEth && balance !== undefined && (
          <p className="small muted">
            {t("balance")} <Amount value={balance} token={token} />
          </p>
        )}
      </form>
      <TxStatus state={state} />
    </section>
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

