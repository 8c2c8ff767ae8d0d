"use client";
/**
 * During the publicity window anyone may object to one leaf. The reason is published first (the dApp's
 * server keeps it under its hash, refusing personal data), then its hash goes on chain. The household is
 * either picked from the roster's list (`index` given: ./households) or typed by its roster number.
 */
import { useState } from "react";
import { useTranslations } from "next-intl";
import type { Address } from "viem";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { useWrite } from "@/hooks/useWrite";
import { useObjectionReason } from "@/hooks/useObjectionReason";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { ObjectionReasonField } from "@/components/ObjectionReasonField";
import { WalletRoot } from "@/components/wallet/WalletRoot";

export interface ObjectionPanelProps {
  programme: Address;
  leafCount: number;
  /** The household picked from the roster list; undefined: the form asks for its roster number. */
  index?: string;
  /** How the list names it ("#12 · Household K7-Q2, Danxi village"). */
  label?: string;
}

function Form({ programme, leafCount, index: picked, label }: ObjectionPanelProps) {
  const t = useTranslations("roster");
  const { write, state, busy, canWrite } = useWrite();
  const [typed, setTyped] = useState("");
  const reason = useObjectionReason();
  const index = picked ?? typed;
  const n = /^\d+$/.test(index.trim()) ? BigInt(index.trim()) : undefined;
  const indexError = picked === undefined && typed.trim() !== "" && (n === undefined || n >= BigInt(leafCount)) ? t("objectIndexInvalid", { max: leafCount - 1 }) : undefined;
  return (
    <form
      className="card"
      data-testid="roster-objection-form"
      id="object"
      onSubmit={async (e) => {
        e.preventDefault();
        if (n === undefined || indexError) return;
        const reasonHash = await reason.publish();
        if (!reasonHash) return;
        // A confirmed write re-renders the page's server sections (useWrite), so the objection shows.
        await write({ address: programme, abi: aidRosterProgrammeAbi, functionName: "object", args: [n, reasonHash] });
      }}
    >
      <h3>{picked !== undefined ? t("objectTitleFor", { label: label ?? `#${picked}` }) : t("objectTitle")}</h3>
      <NeedWallet />
      {picked === undefined && (
        <>
          <label className="field">
            {t("objectIndex")}
            <input inputMode="numeric" value={typed} onChange={(e) => setTyped(e.target.value)} aria-invalid={!!indexError} aria-describedby="object-index-error" />
          </label>
          {indexError && (
            <p id="object-index-error" className="field-error">
              {indexError}
            </p>
          )}
        </>
      )}
      <ObjectionReasonField id={`object-reason-${picked ?? "n"}`} label={t("objectReason")} reason={reason} extraHelp={t("objectHelp")} />
      <button className="btn secondary" type="submit" disabled={!canWrite || busy || reason.publishing || n === undefined || !!indexError || reason.empty}>
        {t("objectSubmit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

export default function ObjectionPanel(props: ObjectionPanelProps) {
  return (
    <WalletRoot>
      <Form {...props} />
    </WalletRoot>
  );
}
