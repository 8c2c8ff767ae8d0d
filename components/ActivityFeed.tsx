/** A project's events as sentences, newest first (server-rendered with the project page). */
import { useLocale, useTranslations } from "next-intl";
import type { EscrowEvent } from "@/lib/escrow/events";
import type { TokenInfo } from "@/lib/chain/tokens";
import { formatTokenAmount } from "@/lib/format/amount";
import { useTime } from "@/hooks/useTime";
import { pseudonym, shortHex } from "@/lib/format/text";

export function ActivityFeed({ events, token, limit = 50 }: { events: EscrowEvent[]; token: TokenInfo | undefined; limit?: number }) {
  const t = useTranslations("events");
  const locale = useLocale();
  const time = useTime();
  const amt = (v: unknown) => (token ? formatTokenAmount(BigInt((v as bigint) ?? 0n), token, locale) : "…");
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
            <span className="small muted" title={time.utc(e.timestamp ?? 0)}>
              {time(e.timestamp ?? 0)}
            </span> — {t(key, { ...params, name: e.name })}{" "}
            <span className="mono small muted" title={e.transactionHash}>
              {shortHex(e.transactionHash)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
