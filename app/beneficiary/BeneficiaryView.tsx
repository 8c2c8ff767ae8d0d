"use client";
import { useEffect, useState } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useConfig, useReadContract, useReadContracts } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";
import { QRCodeSVG } from "qrcode.react";
import { isAddress, type Abi, type Address, type Hex } from "viem";
import { aidEscrowAbi, aidRegistryAbi } from "@/lib/generated/contracts";
import { currentAttestations, type BeneficiaryBook, type Ledger, type ProjectBook } from "@/lib/web/ledger";
import { CLAIM_REQUEST_TYPES, encodeSignedClaim } from "@/lib/web/claimPayload";
import { formatTime, pseudonym, shortHex } from "@/lib/web/format";
import { conditionName } from "@/lib/web/conditions";
import { useActiveChain, useLedger } from "@/hooks/useChainData";
import { useWrite } from "@/hooks/useWrite";
import { TxStatus, useErrorSentence } from "@/components/TxStatus";
import { decodeWebError } from "@/lib/web/errors";
import { Amount } from "@/components/Amount";
import { Loading, ProjectName, StatusBadge } from "@/components/ProjectBits";

export function BeneficiaryView({ address: fromLink }: { address?: string }) {
  const t = useTranslations("beneficiary");
  const { address: connected, deployment, chainId } = useActiveChain();
  const [typed, setTyped] = useState(fromLink ?? "");
  const subject = (fromLink && isAddress(fromLink) ? fromLink : connected) as Address | undefined;
  const [shown, setShown] = useState<Address | undefined>(subject);
  useEffect(() => setShown(subject), [subject]);
  const { data, error } = useLedger();
  const commitment = useReadContract({
    address: deployment?.registry,
    abi: aidRegistryAbi,
    functionName: "commitmentOf",
    args: shown ? [shown] : undefined,
    chainId,
    query: { enabled: !!shown && !!deployment },
  });
  const c = commitment.data as Hex | undefined;
  return (
    <>
      <form
        className="card row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (isAddress(typed.trim())) setShown(typed.trim() as Address);
        }}
      >
        <label className="field">
          {t("lookup")}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="0x…" autoComplete="off" />
        </label>
        <button className="btn secondary" type="submit">
          {t("show")}
        </button>
      </form>
      {!shown && <p className="notice">{t("enterAddress")}</p>}
      {shown && !data && <Loading error={error} />}
      {shown && data && c && /^0x0{64}$/.test(c) && <p className="notice">{t("notBound", { address: shortHex(shown) })}</p>}
      {shown && data && c && !/^0x0{64}$/.test(c) && <Household account={shown} commitment={c} ledger={data.ledger} now={data.now} />}
    </>
  );
}

function Household({ account, commitment, ledger, now }: { account: Address; commitment: Hex; ledger: Ledger; now: number }) {
  const t = useTranslations("beneficiary");
  const projects = [...ledger.projects.values()].filter((p) => p.beneficiaries.has(commitment));
  const link = typeof window !== "undefined" ? `${window.location.origin}/beneficiary?address=${account}` : "";
  return (
    <>
      <section className="card" aria-labelledby="hh-h">
        <h2 id="hh-h">{t("household", { name: pseudonym(commitment) })}</h2>
        <p className="small">
          {t("account")} <span className="mono">{account}</span>
        </p>
        <p className="small muted">
          {t("commitment")} <span className="mono">{shortHex(commitment, 10, 8)}</span>
        </p>
        <details>
          <summary>{t("qrStatus")}</summary>
          {link && (
            <div className="qr">
              <QRCodeSVG value={link} size={160} title={t("qrStatus")} />
            </div>
          )}
          <p className="small mono">{link}</p>
        </details>
      </section>
      {projects.length === 0 && <p>{t("noProjects")}</p>}
      {projects.map((p) => (
        <Enrolment key={String(p.projectId)} p={p} b={p.beneficiaries.get(commitment)!} account={account} ledger={ledger} now={now} />
      ))}
    </>
  );
}

function Enrolment({ p, b, account, ledger, now }: { p: ProjectBook; b: BeneficiaryBook; account: Address; ledger: Ledger; now: number }) {
  const t = useTranslations("beneficiary");
  const tp = useTranslations("project");
  const locale = useLocale();
  const config = useConfig();
  const { deployment, chainId, address } = useActiveChain();
  const { write, state, busy, canWrite } = useWrite();
  const sentence = useErrorSentence();
  const [signed, setSigned] = useState<{ payload: string; tranche: number } | undefined>();
  const [signError, setSignError] = useState<string>();
  const reads = useReadContracts({
    contracts: [{ address: deployment!.escrow, abi: aidEscrowAbi, functionName: "enrolment", args: [p.projectId, b.commitment], chainId }],
  });
  const enrol = reads.data?.[0]?.result as { settledMask: number } | undefined;
  const atts = currentAttestations(ledger, b.commitment);
  const isMe = address?.toLowerCase() === account.toLowerCase();
  const basis = p.terms.conditions.map((c) => {
    const valid = (atts.get(c) ?? []).filter((r) => !r.revoked && now < r.expiry);
    return { c, valid, all: atts.get(c) ?? [], ok: valid.length >= p.terms.threshold };
  });
  const eligible = basis.every((x) => x.ok);

  async function sign(tranche: number) {
    setSignError(undefined);
    try {
      const [, name, version, domainChainId, verifyingContract] = (await readContract(config, {
        address: deployment!.escrow,
        abi: aidEscrowAbi,
        functionName: "eip712Domain",
        chainId,
      } as never)) as readonly [unknown, string, string, bigint, Address];
      const nonce = (await readContract(config, { address: deployment!.escrow, abi: aidEscrowAbi, functionName: "nonces", args: [account], chainId } as never)) as bigint;
      const request = {
        projectId: p.projectId,
        commitment: b.commitment,
        trancheIndex: tranche,
        recipient: account,
        amount: p.terms.amountPerTranche,
        nonce,
        deadline: BigInt(now + 7 * 86400),
      };
      const signature = await signTypedData(config, {
        domain: { name, version, chainId: Number(domainChainId), verifyingContract },
        types: CLAIM_REQUEST_TYPES,
        primaryType: "ClaimRequest",
        message: request,
      });
      setSigned({ tranche, payload: encodeSignedClaim({ chainId: Number(domainChainId), escrow: verifyingContract, request, signature }) });
    } catch (err) {
      setSignError(sentence(decodeWebError(err)));
    }
  }

  const relayLink = signed && typeof window !== "undefined" ? `${window.location.origin}/relay?c=${signed.payload}` : "";
  return (
    <section className="card" aria-labelledby={`en-${p.projectId}`} data-testid={`enrolment-${p.projectId}`}>
      <h2 id={`en-${p.projectId}`}>
        <Link href={`/projects/${p.projectId}`}>
          <ProjectName p={p} />
        </Link>{" "}
        <StatusBadge status={b.status} kind="enrolment" />
      </h2>
      <p className={eligible ? "success" : "error"}>{eligible ? t("eligible") : t("notEligible")}</p>
      <h3>{t("basis")}</h3>
      <ul>
        {basis.map(({ c, valid, all, ok }) => (
          <li key={c}>
            {conditionName(c, (k) => (tp.has(`cond.${k}`) ? tp(`cond.${k}`) : k))}: {t("attestedBy", { n: valid.length, k: p.terms.threshold })} {ok ? "✓" : "✗"}
            <ul className="small">
              {all.map((r) => (
                <li key={r.official}>
                  {t("attestation", { who: shortHex(r.official), score: r.score, time: formatTime(r.attestedAt, locale, false), expiry: formatTime(r.expiry, locale, false) })}
                  {r.revoked && ` — ${tp("revoked")}`}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p className="small muted">
        {now < b.windowEndsAt ? t("windowOpen", { time: formatTime(b.windowEndsAt, locale) }) : t("windowClosed", { time: formatTime(b.windowEndsAt, locale) })}
      </p>
      <h3>{t("tranches")}</h3>
      <div className="table-wrap">
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("amount")}</th>
              <th scope="col">{t("unlocks")}</th>
              <th scope="col">{t("state")}</th>
              <th scope="col">{t("action")}</th>
            </tr>
          </thead>
          <tbody>
            {p.terms.trancheUnlockTimes.map((u, i) => {
              const claim = b.claims.find((c) => c.trancheIndex === i);
              const settled = enrol ? ((enrol.settledMask >> i) & 1) === 1 : !!claim;
              const claimable = !settled && now >= u && now >= b.windowEndsAt && b.status === "Enrolled" && now < p.terms.claimDeadline && eligible;
              const stateText = claim
                ? t("claimedOn", { time: formatTime(claim.at, locale) })
                : settled
                  ? t("forfeited")
                  : now < u
                    ? t("locked")
                    : claimable
                      ? t("claimable")
                      : t("notPayable");
              return (
                <tr key={i} data-testid={`tranche-${p.projectId}-${i}`}>
                  <td data-label="#">{i + 1}</td>
                  <td data-label={t("amount")}>
                    <Amount value={p.terms.amountPerTranche} token={p.terms.token} />
                  </td>
                  <td data-label={t("unlocks")}>{formatTime(u, locale)}</td>
                  <td data-label={t("state")}>{stateText}</td>
                  <td data-label={t("action")}>
                    {claimable && isMe && (
                      <div className="row">
                        <button
                          type="button"
                          className="btn small"
                          disabled={!canWrite || busy}
                          onClick={() => write({ address: deployment!.escrow, abi: aidEscrowAbi as Abi, functionName: "claim", args: [p.projectId, b.commitment, i, []] })}
                        >
                          {t("claim")}
                        </button>
                        <button type="button" className="btn small secondary" disabled={!canWrite || busy} onClick={() => sign(i)}>
                          {t("sign")}
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
      <TxStatus state={state} />
      {signError && (
        <p className="notice" role="status">
          {signError}
        </p>
      )}
      {signed && (
        <div className="card" data-testid="signed-claim">
          <h3>{t("signedTitle", { n: signed.tranche + 1 })}</h3>
          <p className="small">{t("signedHelp")}</p>
          <div className="qr">
            <QRCodeSVG value={relayLink} size={200} title={t("signedTitle", { n: signed.tranche + 1 })} />
          </div>
          <label className="field">
            {t("payload")}
            <textarea readOnly value={relayLink} className="mono" data-testid="signed-payload" />
          </label>
          <button type="button" className="btn small secondary" onClick={() => navigator.clipboard?.writeText(relayLink)}>
            {t("copy")}
          </button>
        </div>
      )}
      <h3>{t("history")}</h3>
      <ul className="feed">
        <li>{t("hEnrolled", { time: formatTime(b.enrolledAt, locale), who: shortHex(b.enrolledBy) })}</li>
        {b.objections.map((o, i) => (
          <li key={`o${i}`}>{t("hObjection", { time: formatTime(o.at, locale) })}</li>
        ))}
        {b.claims.map((c) => (
          <li key={c.transactionHash}>
            {t("hClaimed", { n: c.trancheIndex + 1, time: formatTime(c.at, locale) })} <Amount value={c.amount} token={p.terms.token} />
          </li>
        ))}
      </ul>
    </section>
  );
}
