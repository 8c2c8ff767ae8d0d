"use client";
/** During the publicity window anyone may object to one leaf; only the reason's hash goes on chain. */
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { keccak256, toBytes, type Abi, type Address } from "viem";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";

function Form({ programme, leafCount }: { programme: Address; leafCount: number }) {
  const t = useTranslations("roster");
  const router = useRouter();
  const { write, state, busy, canWrite } = useWrite();
  const [index, setIndex] = useState("");
  const [reason, setReason] = useState("");
  const n = /^\d+$/.test(index.trim()) ? Number(index.trim()) : undefined;
  const indexError = index.trim() !== "" && (n === undefined || n >= leafCount) ? t("objectIndexInvalid", { max: leafCount - 1 }) : undefined;
  return (
    <form
      className="card"
      data-testid="roster-objection-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (n === undefined || indexError || !reason.trim()) return;
        const receipt = await write({ address: programme, abi: aidRosterProgrammeAbi as Abi, functionName: "object", args: [BigInt(n), keccak256(toBytes(reason.trim()))] });
        if (receipt) router.refresh();
      }}
    >
      <h3>{t("objectTitle")}</h3>
      <NeedWallet />
      <label className="field">
        {t("objectIndex")}
        <input inputMode="numeric" value={index} onChange={(e) => setIndex(e.target.value)} aria-invalid={!!indexError} aria-describedby="object-index-error" />
      </label>
      {indexError && (
        <p id="object-index-error" className="field-error">
          {indexError}
        </p>
      )}
      <label className="field">
        {t("objectReason")}
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="object-help" />
      </label>
      <p id="object-help" className="small muted">
        {t("objectHelp")}
      </p>
      <button className="btn secondary" type="submit" disabled={!canWrite || busy || n === undefined || !!indexError || !reason.trim()}>
        {t("objectSubmit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

export default function ObjectionPanel(props: { programme: Address; leafCount: number }) {
  return (
    <WalletRoot>
      <Form {...props} />
    </WalletRoot>
  );
}
