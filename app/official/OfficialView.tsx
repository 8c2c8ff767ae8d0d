"use client";
import { useState } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useConfig } from "wagmi";
import { keccak256, toBytes, type Abi, type Address, type Hex } from "viem";
import { aidEscrowAbi } from "@/lib/generated/aidEscrow";
import { aidRegistryAbi } from "@/lib/generated/aidRegistry";
import { validateAttestationCsv, resolveSubjects, formatIssue, type AttestationRow, type CsvIssue } from "@/lib/registry/attestation-csv";
import { buildAttesterProof } from "@/lib/escrow/events";
import { pseudonym, shortHex } from "@/lib/format/text";
import { formatTime } from "@/lib/format/time";
import { CONDITION_NAMES, catalogueId, conditionName } from "@/lib/registry/catalogue";
import { useEscrowBooks } from "@/hooks/useChainData";
import { projectStatus } from "@/lib/escrow/status";
import { useActiveChain } from "@/hooks/useWallet";
import { WalletRoot } from "@/components/wallet/WalletRoot";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus } from "@/components/TxStatus";
import { Loading, projectTitle } from "@/components/ProjectBits";
import { NeedWallet } from "@/components/NeedWallet";
import { resolveHousehold } from "./household";

const TABS = ["attest", "csv", "enrol", "revoke", "record"] as const;

export function OfficialView() {
  return (
    <WalletRoot>
      <OfficialTasks />
    </WalletRoot>
  );
}

function OfficialTasks() {
  const t = useTranslations("official");
  const [tab, setTab] = useState<(typeof TABS)[number]>("attest");
  return (
    <>
      <NeedWallet />
      <div className="tabs" role="tablist" aria-label={t("tabs")}>
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k} className={`btn small ${tab === k ? "" : "secondary"}`} onClick={() => setTab(k)}>
            {t(`tab.${k}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "attest" && <AttestOne />}
        {tab === "csv" && <AttestCsv />}
        {tab === "enrol" && <Enrol />}
        {tab === "revoke" && <Revoke />}
        {tab === "record" && <Record />}
      </div>
    </>
  );
}

function ConditionSelect({ value, onChange, id }: { value: string; onChange: (v: string) => void; id: string }) {
  const t = useTranslations("project");
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      {CONDITION_NAMES.map((n) => (
        <option key={n} value={n}>
          {conditionName(catalogueId(n)!, (k) => (t.has(`cond.${k}`) ? t(`cond.${k}`) : k))}
        </option>
      ))}
    </select>
  );
}

const dateToSeconds = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? Math.floor(Date.parse(`${d}T00:00:00Z`) / 1000) : undefined);

function AttestOne() {
  const t = useTranslations("official");
  const config = useConfig();
  const { deployment, chainId } = useActiveChain();
  const { data } = useEscrowBooks();
  const { write, state, busy, canWrite } = useWrite();
  const [household, setHousehold] = useState("");
  const [condition, setCondition] = useState<string>(CONDITION_NAMES[0]);
  const [expiry, setExpiry] = useState("");
  const [evidence, setEvidence] = useState("");
  const [score, setScore] = useState("0");
  const [problems, setProblems] = useState<string[]>([]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const issues: string[] = [];
    const commitment = await resolveHousehold(config, deployment!.registry, chainId, household);
    if (!commitment) issues.push(t("err.household"));
    const exp = dateToSeconds(expiry);
    if (!exp || exp <= (data?.now ?? 0)) issues.push(t("err.expiry"));
    const ev = evidence.trim();
    const evidenceHash = /^0x[0-9a-fA-F]{64}$/.test(ev) ? (ev as Hex) : ev ? keccak256(toBytes(ev)) : undefined;
    if (!evidenceHash) issues.push(t("err.evidence"));
    const sc = Number(score);
    if (!/^\d+$/.test(score) || sc > 65535) issues.push(t("err.score"));
    setProblems(issues);
    if (issues.length) return;
    await write({
      address: deployment!.registry,
      abi: aidRegistryAbi as Abi,
      functionName: "attest",
      args: [commitment!, catalogueId(condition)!, exp!, evidenceHash!, sc],
    });
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="attest-h">
      <h2 id="attest-h">{t("attestTitle")}</h2>
      <div className="row">
        <label className="field">
          {t("household")}
          <input name="household" value={household} onChange={(e) => setHousehold(e.target.value)} placeholder={t("hexPlaceholder")} autoComplete="off" />
        </label>
        <label className="field">
          {t("condition")}
          <ConditionSelect id="attest-condition" value={condition} onChange={setCondition} />
        </label>
      </div>
      <div className="row">
        <label className="field">
          {t("expiry")}
          <input name="expiry" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </label>
        <label className="field">
          {t("score")}
          <input name="score" inputMode="numeric" value={score} onChange={(e) => setScore(e.target.value)} />
        </label>
      </div>
      <label className="field">
        {t("evidence")}
        <input name="evidence" value={evidence} onChange={(e) => setEvidence(e.target.value)} aria-describedby="evidence-help" />
      </label>
      <p id="evidence-help" className="small muted">
        {t("evidenceHelp")}
      </p>
      {problems.length > 0 && (
        <ul className="error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <button className="btn" type="submit" disabled={!canWrite || busy}>
        {t("attestSubmit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

function AttestCsv() {
  const t = useTranslations("official");
  const tc = useTranslations("csv");
  const locale = useLocale();
  const config = useConfig();
  const { deployment, chainId } = useActiveChain();
  const { data } = useEscrowBooks();
  const { write, state, busy, canWrite } = useWrite();
  const [text, setText] = useState("");
  const [file, setFile] = useState("attestations.csv");
  const [preview, setPreview] = useState<{ rows: AttestationRow[]; issues: CsvIssue[] } | undefined>();

  async function validate(content: string, name: string) {
    const result = validateAttestationCsv(content, name, { now: data?.now ?? Math.floor(Date.now() / 1000) });
    const more = await resolveSubjects(result.rows, name, async (account) =>
      (await resolveHousehold(config, deployment!.registry, chainId, account)) ?? "0x" + "0".repeat(64),
    );
    const bad = new Set(more.map((i) => i.line));
    setPreview({ rows: result.rows.filter((r) => !bad.has(r.line)), issues: [...result.issues, ...more] });
  }
  return (
    <section className="card" aria-labelledby="csv-h">
      <h2 id="csv-h">{t("csvTitle")}</h2>
      <p className="small muted">{t("csvHelp")}</p>
      <label className="field">
        {t("csvFile")}
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const content = await f.text();
            setFile(f.name);
            setText(content);
            await validate(content, f.name);
          }}
        />
      </label>
      <label className="field">
        {t("csvText")}
        <textarea value={text} onChange={(e) => setText(e.target.value)} className="mono" rows={6} />
      </label>
      <button type="button" className="btn secondary" onClick={() => validate(text, file)}>
        {t("csvValidate")}
      </button>
      {preview && (
        <>
          <h3>{t("csvPreview", { ok: preview.rows.length, bad: preview.issues.length })}</h3>
          {preview.issues.length > 0 && (
            <ul className="error" role="alert" data-testid="csv-issues">
              {preview.issues.map((i) => (
                <li key={formatIssue(i)} data-code={i.code}>
                  {i.field === "-"
                    ? tc("issueAtRow", { line: i.line, problem: tc(i.code, i.params) })
                    : tc("issueAt", { line: i.line, field: i.field, problem: tc(i.code, i.params) })}
                </li>
              ))}
            </ul>
          )}
          <div className="table-wrap">
            <table data-testid="csv-preview">
              <thead>
                <tr>
                  <th scope="col">{t("line")}</th>
                  <th scope="col">{t("household")}</th>
                  <th scope="col">{t("condition")}</th>
                  <th scope="col">{t("expiry")}</th>
                  <th scope="col">{t("score")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td className="mono">{pseudonym(r.commitment!)}</td>
                    <td>{r.conditionName ?? shortHex(r.conditionId)}</td>
                    <td>{formatTime(r.expiry, locale, false)}</td>
                    <td>{r.score}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button
            type="button"
            className="btn"
            disabled={!canWrite || busy || preview.issues.length > 0 || preview.rows.length === 0}
            onClick={() =>
              write({
                address: deployment!.registry,
                abi: aidRegistryAbi as Abi,
                functionName: "attestBatch",
                args: [
                  preview.rows.map((r) => ({
                    commitment: r.commitment as Hex,
                    conditionId: r.conditionId as Hex,
                    expiry: r.expiry,
                    evidenceHash: r.evidenceHash as Hex,
                    score: r.score,
                  })),
                ],
              })
            }
          >
            {t("csvSubmit", { n: preview.rows.length })}
          </button>
        </>
      )}
      <TxStatus state={state} />
    </section>
  );
}

function Enrol() {
  const t = useTranslations("official");
  const config = useConfig();
  const { deployment, chainId } = useActiveChain();
  const { data, error } = useEscrowBooks();
  const { write, state, busy, canWrite } = useWrite();
  const [projectId, setProjectId] = useState("");
  const [household, setHousehold] = useState("");
  const [message, setMessage] = useState<string>();
  if (!data) return <Loading error={error} />;
  const live = [...data.books.projects.values()].filter((p) => ["Funding", "Active"].includes(projectStatus(p, data.now)));
  return (
    <form
      className="card"
      noValidate
      aria-labelledby="enrol-h"
      onSubmit={async (e) => {
        e.preventDefault();
        setMessage(undefined);
        const p = data.books.projects.get(projectId || String(live[0]?.projectId));
        const commitment = await resolveHousehold(config, deployment!.registry, chainId, household);
        if (!p || !commitment) return setMessage(t("err.household"));
        const proof = buildAttesterProof(data.books, commitment, p.terms.conditions, p.terms.threshold, data.now);
        if (!proof) return setMessage(t("err.proof", { k: p.terms.threshold }));
        await write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "enrol", args: [p.projectId, commitment, proof] });
      }}
    >
      <h2 id="enrol-h">{t("enrolTitle")}</h2>
      <p className="small muted">{t("enrolHelp")}</p>
      <div className="row">
        <label className="field">
          {t("project")}
          <select name="project" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            {live.map((p) => (
              <option key={String(p.projectId)} value={String(p.projectId)}>
                {`#${p.projectId} ${projectTitle(p) ?? ""}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t("household")}
          <input name="household" value={household} onChange={(e) => setHousehold(e.target.value)} placeholder={t("hexPlaceholder")} autoComplete="off" />
        </label>
      </div>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <button className="btn" type="submit" disabled={!canWrite || busy}>
        {t("enrolSubmit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

function Revoke() {
  const t = useTranslations("official");
  const config = useConfig();
  const { deployment, chainId, address } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const [household, setHousehold] = useState("");
  const [condition, setCondition] = useState<string>(CONDITION_NAMES[0]);
  const [attester, setAttester] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<string>();
  return (
    <form
      className="card"
      noValidate
      aria-labelledby="revoke-h"
      onSubmit={async (e) => {
        e.preventDefault();
        setMessage(undefined);
        const commitment = await resolveHousehold(config, deployment!.registry, chainId, household);
        const who = (attester.trim() || address) as Address | undefined;
        if (!commitment || !who || !/^0x[0-9a-fA-F]{40}$/.test(who)) return setMessage(t("err.household"));
        if (!reason.trim()) return setMessage(t("err.reason"));
        await write({
          address: deployment!.registry,
          abi: aidRegistryAbi as Abi,
          functionName: "revoke",
          args: [commitment, catalogueId(condition)!, who, keccak256(toBytes(reason.trim()))],
        });
      }}
    >
      <h2 id="revoke-h">{t("revokeTitle")}</h2>
      <div className="row">
        <label className="field">
          {t("household")}
          <input value={household} onChange={(e) => setHousehold(e.target.value)} placeholder={t("hexPlaceholder")} autoComplete="off" />
        </label>
        <label className="field">
          {t("condition")}
          <ConditionSelect id="revoke-condition" value={condition} onChange={setCondition} />
        </label>
      </div>
      <label className="field">
        {t("attester")}
        <input value={attester} onChange={(e) => setAttester(e.target.value)} placeholder={address ?? t("hexPlaceholder")} autoComplete="off" />
      </label>
      <label className="field">
        {t("reason")}
        <input value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <button className="btn danger" type="submit" disabled={!canWrite || busy}>
        {t("revokeSubmit")}
      </button>
      <TxStatus state={state} />
    </form>
  );
}

function Record() {
  const t = useTranslations("official");
  const tp = useTranslations("project");
  const locale = useLocale();
  const { address } = useActiveChain();
  const { data, error } = useEscrowBooks();
  if (!address) return null;
  if (!data) return <Loading error={error} />;
  const rec = data.books.officials.get(address.toLowerCase() as Address);
  const mine = data.books.attestations.filter((a) => a.official.toLowerCase() === address.toLowerCase()).reverse();
  return (
    <section className="card" aria-labelledby="record-h">
      <h2 id="record-h">{t("recordTitle")}</h2>
      {!rec ? (
        <p>{t("notOfficial")}</p>
      ) : (
        <p>
          {t("recordSummary", { attestations: rec.attestations, revoked: rec.revokedOfTheirs, enrolments: rec.enrolments, upheld: rec.upheldAgainst })}{" "}
          <Link href={`/evaluation?official=${address}`}>{t("recordLink")}</Link>
        </p>
      )}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("household")}</th>
              <th scope="col">{t("condition")}</th>
              <th scope="col">{t("score")}</th>
              <th scope="col">{t("attestedAt")}</th>
              <th scope="col">{t("expiry")}</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((a) => (
              <tr key={`${a.transactionHash}${a.conditionId}${a.commitment}`}>
                <td className="mono">{pseudonym(a.commitment)}</td>
                <td>{conditionName(a.conditionId, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}</td>
                <td>{a.score || "—"}</td>
                <td>{formatTime(a.attestedAt, locale)}</td>
                <td>{a.revoked ? tp("revoked") : formatTime(a.expiry, locale, false)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
