"use client";
import { useLocale, useTranslations } from "next-intl";
import type { Address } from "viem";
import type { EscrowEvent } from "@/lib/escrow/events";
import { formatAmount } from "@/lib/format/amount";
import { formatTime } from "@/lib/format/time";
import { pseudonym, shortHex } from "@/lib/format/text";
import { useTokenInfo } from "@/hooks/useChainData";

export function ActivityFeed({ events, token, limit = 50 }: { events: EscrowEvent[]; token: Address | string; limit?: number }) {
  const t = useTranslations("events");
  const locale = useLocale();
  const info = useTokenInfo(token);
  const amt = (v: unknown) => (info ? `${formatAmount(BigInt((v as bigint) ?? 0n), info.decimals, locale)} ${info.symbol}` : "…");
  if (events.length === 0) return <p className="muted">{t("none")}</p>;
  return (
    <ul className="feed">
      {events.slice(0, limit).map((e) => {
        const a = e.args;
        const params: Record<string, string> = {
          donor: shortHex(String(a.donor ?? "")),
          amount: amt(a.amount ?? a.committedAmount ?? a.releasedAmount ?? a.refundPool),
          household: a.commitment ? pseudonym(String(a.commitment)) : "",
          who: shortHex(String(a.official ?? a.objector ?? a.reviewer ?? a.approver ?? a.manager ?? a.recipient ?? "")),
          tranche: String(Number(a.trancheIndex ?? 0) + 1),
          upheld: a.upheld ? "yes" : "no",
        };
        const key = t.has(e.name) ? e.name : "other";
        return (
          <li key={`${e.transactionHash}-${e.logIndex}`}>
            <span className="small muted">{formatTime(e.timestamp ?? 0, locale)}</span> — {t(key, { ...params, name: e.name })}{" "}
            <span className="mono small muted" title={e.transactionHash}>
              {shortHex(e.transactionHash)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
