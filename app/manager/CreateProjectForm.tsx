"use client";
import { useState } from "react";
import { useTranslations } from "next-intl";
import { useReadContracts } from "wagmi";
import type { Abi } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { validateTerms, type TermsForm, type TermsProblem } from "@/lib/escrow/terms";
import { CONDITION_NAMES, catalogueId, conditionName } from "@/lib/registry/catalogue";
import { useEscrowBooks, useTokenInfo } from "@/hooks/useChainData";
import { ZERO_ADDRESS } from "@/lib/chain/deployments";
import { shortHex } from "@/lib/format/text";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { NeedWallet } from "@/components/NeedWallet";
import { Loading } from "@/components/ProjectBits";

const CATEGORIES = ["education", "housing", "medical", "industry", "emergency"];
const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

export function CreateProjectForm() {
  const { data, error } = useEscrowBooks();
  // Defaults are relative to chain time (the demo chain runs ahead of the wall clock), so wait for it.
  if (!data) return <Loading error={error} />;
  return (
    <WalletRoot>
      <TermsFormView now={data.now} />
    </WalletRoot>
  );
}

function TermsFormView({ now }: { now: number }) {
  const t = useTranslations("manager");
  const tc = useTranslations("categories");
  const tp = useTranslations("project");
  const { deployment, chainId } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const limits = useReadContracts({
    contracts: deployment
      ? (["MAX_CONDITIONS", "MAX_THRESHOLD", "MAX_TRANCHES"] as const).map((fn) => ({ address: deployment.escrow, abi: aidEscrowAbi, functionName: fn, chainId }))
      : [],
  });
  const [f, setF] = useState<TermsForm>(() => ({
    token: "ETH",
    decimals: 18,
    title: "",
    category: "education",
    region: "",
    conditions: [CONDITION_NAMES[0]],
    threshold: "2",
    amountPerTranche: "",
    unlockDates: [day(now + 40 * 86400)],
    maxBeneficiaries: "10",
    fundingDeadline: day(now + 30 * 86400),
    claimDeadline: day(now + 120 * 86400),
    publicityWindowDays: "7",
  }));
  const [problems, setProblems] = useState<TermsProblem[]>([]);
  // Decimals and symbol come from the token itself; amounts are parsed only once they are known.
  const stablecoin = useTokenInfo(deployment?.stablecoin);
  const selected = useTokenInfo(f.token === "ETH" ? ZERO_ADDRESS : f.token);
  const set = <K extends keyof TermsForm>(k: K, v: TermsForm[K]) => setF((old) => ({ ...old, [k]: v }));
  const errs = (field: keyof TermsForm) => problems.filter((p) => p.field === field);
  const errId = (field: string) => `err-${field}`;
  const Err = ({ field }: { field: keyof TermsForm }) =>
    errs(field).length ? (
      <span id={errId(field)} className="field-error">
        {errs(field)
          .map((p) => t(`err.${p.key}`, p.values ?? {}))
          .join(" ")}
      </span>
    ) : null;
  const a11y = (field: keyof TermsForm) => ({ "aria-invalid": errs(field).length > 0, "aria-describedby": errs(field).length ? errId(field) : undefined });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!selected) return;
    const r = validateTerms({ ...f, decimals: selected.decimals }, {
      now,
      maxConditions: Number(limits.data?.[0]?.result ?? 8),
      maxThreshold: Number(limits.data?.[1]?.result ?? 5),
      maxTranches: Number(limits.data?.[2]?.result ?? 12),
    });
    setProblems(r.problems);
    if (!r.terms) return;
    await write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "createProject", args: [r.terms] });
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="create-h">
      <NeedWallet />
      <h2 id="create-h">{t("formTitle")}</h2>
      <div className="row">
        <label className="field">
          {t("titleField")}
          <input value={f.title} onChange={(e) => set("title", e.target.value)} {...a11y("title")} />
          <Err field="title" />
        </label>
        <label className="field">
          {t("token")}
          <select
            value={f.token}
            onChange={(e) => set("token", e.target.value)}
            {...a11y("token")}
          >
            <option value="ETH">ETH</option>
            {deployment?.stablecoin && <option value={deployment.stablecoin}>{stablecoin?.symbol ?? shortHex(deployment.stablecoin)}</option>}
          </select>
          <Err field="token" />
        </label>
      </div>
      <div className="row">
        <label className="field">
          {t("category")}
          <select value={f.category} onChange={(e) => set("category", e.target.value)} {...a11y("category")}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {tc(c)}
              </option>
            ))}
          </select>
          <Err field="category" />
        </label>
        <label className="field">
          {t("region")}
          <input value={f.region} onChange={(e) => set("region", e.target.value)} placeholder={t("regionPlaceholder")} {...a11y("region")} />
          <Err field="region" />
        </label>
      </div>
      <fieldset {...a11y("conditions")}>
        <legend>{t("conditions")}</legend>
        {CONDITION_NAMES.map((n) => (
          <label key={n} className="small" style={{ display: "block" }}>
            <input
              type="checkbox"
              style={{ width: "auto", minHeight: 0 }}
              checked={f.conditions.includes(n)}
              onChange={(e) => set("conditions", e.target.checked ? [...f.conditions, n] : f.conditions.filter((c) => c !== n))}
            />{" "}
            {conditionName(catalogueId(n)!, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}
          </label>
        ))}
        <Err field="conditions" />
      </fieldset>
      <div className="row">
        <label className="field">
          {t("threshold")}
          <input inputMode="numeric" value={f.threshold} onChange={(e) => set("threshold", e.target.value)} {...a11y("threshold")} />
          <Err field="threshold" />
        </label>
        <label className="field">
          {t("amount", { symbol: selected?.symbol ?? "…" })}
          <input inputMode="decimal" value={f.amountPerTranche} onChange={(e) => set("amountPerTranche", e.target.value)} {...a11y("amountPerTranche")} />
          <Err field="amountPerTranche" />
        </label>
        <label className="field">
          {t("maxBeneficiaries")}
          <input inputMode="numeric" value={f.maxBeneficiaries} onChange={(e) => set("maxBeneficiaries", e.target.value)} {...a11y("maxBeneficiaries")} />
          <Err field="maxBeneficiaries" />
        </label>
      </div>
      <div className="row">
        <label className="field">
          {t("fundingDeadline")}
          <input type="date" value={f.fundingDeadline} onChange={(e) => set("fundingDeadline", e.target.value)} {...a11y("fundingDeadline")} />
          <Err field="fundingDeadline" />
        </label>
        <label className="field">
          {t("claimDeadline")}
          <input type="date" value={f.claimDeadline} onChange={(e) => set("claimDeadline", e.target.value)} {...a11y("claimDeadline")} />
          <Err field="claimDeadline" />
        </label>
        <label className="field">
          {t("window")}
          <input inputMode="decimal" value={f.publicityWindowDays} onChange={(e) => set("publicityWindowDays", e.target.value)} {...a11y("publicityWindowDays")} />
          <Err field="publicityWindowDays" />
        </label>
      </div>
      <fieldset {...a11y("unlockDates")}>
        <legend>{t("tranches")}</legend>
        {f.unlockDates.map((d, i) => (
          <div className="row" key={i}>
            <label className="field">
              {t("unlock", { n: i + 1 })}
              <input type="date" value={d} onChange={(e) => set("unlockDates", f.unlockDates.map((x, j) => (j === i ? e.target.value : x)))} />
            </label>
            <button type="button" className="btn small secondary" onClick={() => set("unlockDates", f.unlockDates.filter((_, j) => j !== i))} aria-label={t("removeTranche", { n: i + 1 })}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="btn small secondary" onClick={() => set("unlockDates", [...f.unlockDates, ""])}>
          {t("addTranche")}
        </button>
        <Err field="unlockDates" />
      </fieldset>
      {problems.length > 0 && (
        <p className="error" role="alert">
          {t("fix", { n: problems.length })}
        </p>
      )}
      <button className="btn" type="submit" disabled={!canWrite || busy || !selected}>
        {t("submit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}
