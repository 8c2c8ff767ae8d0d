"use client";
/**
 * A gasless roster claim's progress in words (hooks/useRosterClaim.ts): signing, sending, queued,
 * submitted, confirmed with the amount and the transaction, and every refusal as a sentence
 * (relayer.errors.<code>; the custom error the relayer's simulation hit, said the way a direct claim would).
 */
import { useTranslations } from "next-intl";
import { txLink } from "@/lib/chain/deployments";
import { shortHex } from "@/lib/format/text";
import { errorInputNames } from "@/lib/errors/decode";
import type { RelayerRefusal } from "@/lib/relayer/client";
import type { Relay } from "@/hooks/useRosterClaim";
import { useErrorSentence } from "../TxStatus";

export function RelayStatus({ relay, chainId, amount, name }: { relay: Relay; chainId: number; amount: string; name: string }) {
  const t = useTranslations("relayer");
  const sentence = useErrorSentence();
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
        {sentence(relay.error)}
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
