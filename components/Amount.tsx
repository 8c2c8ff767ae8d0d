"use client";
import { useLocale } from "next-intl";
import type { Address } from "viem";
import { formatAmount } from "@/lib/web/format";
import { ZERO_ADDRESS } from "@/lib/web/chain";

/** Token units with their symbol: ETH for address(0), tUSD (6 decimals) for the local stablecoin. */
export function tokenInfo(token: Address | string): { symbol: string; decimals: number } {
  return token.toLowerCase() === ZERO_ADDRESS ? { symbol: "ETH", decimals: 18 } : { symbol: "tUSD", decimals: 6 };
}

export function Amount({ value, token }: { value: bigint; token: Address | string }) {
  const locale = useLocale();
  const { symbol, decimals } = tokenInfo(token);
  return (
    <span className="amount">
      {formatAmount(value, decimals, locale)} {symbol}
    </span>
  );
}
