"use client";
import { useLocale } from "next-intl";
import type { Address } from "viem";
import { formatAmount } from "@/lib/format/amount";
import { useTokenInfo } from "@/hooks/useChainData";

/** Token units with the token's own symbol and decimals (read from the chain; ETH for address(0)). */
export function Amount({ value, token }: { value: bigint; token: Address | string }) {
  const locale = useLocale();
  const info = useTokenInfo(token);
  if (!info) return <span className="amount" aria-busy="true">…</span>;
  return (
    <span className="amount">
      {formatAmount(value, info.decimals, locale)} {info.symbol}
    </span>
  );
}
