import { useLocale } from "next-intl";
import type { TokenInfo } from "@/lib/chain/tokens";
import { formatTokenAmount } from "@/lib/format/amount";

/**
 * Token units with the token's symbol, for server components (the token's symbol and decimals come
 * with the page's data: lib/server/). "…" while a token's decimals are unknown: never guessed. Islands
 * that read the token themselves use <Amount> (components/Amount.tsx).
 */
export function TokenAmount({ value, token }: { value: bigint; token: TokenInfo | undefined }) {
  const locale = useLocale();
  if (!token) return <span className="amount">…</span>;
  return <span className="amount">{formatTokenAmount(value, token, locale)}</span>;
}
