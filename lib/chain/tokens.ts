/**
 * What a project's token is: its symbol and decimals, read from the token itself (ERC-20 symbol() and
 * decimals()), never assumed. ETH (address(0)) is 18 decimals. Reads go through the batched read client
 * (both calls of every token in one JSON-RPC batch, alongside whatever else is in flight) and are cached
 * per chain and address for the life of the page: a token's decimals and symbol do not change.
 */
import type { Address, Client } from "viem";
import { ZERO_ADDRESS } from "./deployments.ts";
import { readView } from "./client.ts";
import { shortHex } from "../format/text.ts";

/** Only the two views read here (viem's full erc20Abi would weigh on every page). */
const erc20Abi = [
  { type: "function", name: "decimals", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "uint8" }] },
  { type: "function", name: "symbol", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
] as const;

export interface TokenInfo {
  symbol: string;
  decimals: number;
}

export const ETH_INFO: TokenInfo = { symbol: "ETH", decimals: 18 };

export const isEth = (token: string) => token.toLowerCase() === ZERO_ADDRESS;

const cache = new Map<string, TokenInfo>();
const inflight = new Map<string, Promise<TokenInfo>>();
const key = (chainId: number, token: string) => `${chainId}:${token.toLowerCase()}`;

/** The cached info of a token (ETH always), or undefined when it has not been read yet. */
export function cachedTokenInfo(chainId: number, token: string): TokenInfo | undefined {
  return isEth(token) ? ETH_INFO : cache.get(key(chainId, token));
}

/** Puts infos read elsewhere (the server's first paint) into the cache. */
export function seedTokenInfos(chainId: number, infos: Record<string, TokenInfo> | undefined): void {
  for (const [token, info] of Object.entries(infos ?? {})) if (!cache.has(key(chainId, token))) cache.set(key(chainId, token), info);
}

/** A token's symbol and decimals from the chain. decimals() is required (a token without it cannot be shown
 * correctly, so the read fails); symbol() is optional in ERC-20, and an unreadable one shows the address. */
export function readTokenInfo(client: Client, chainId: number, token: Address): Promise<TokenInfo> {
  const hit = cachedTokenInfo(chainId, token);
  if (hit) return Promise.resolve(hit);
  const k = key(chainId, token);
  let p = inflight.get(k);
  if (!p) {
    p = Promise.all([
      readView(client, { address: token, abi: erc20Abi, functionName: "decimals" }),
      readView(client, { address: token, abi: erc20Abi, functionName: "symbol" }).catch(() => undefined),
    ])
      .then(([decimals, symbol]) => {
        const info = { decimals: Number(decimals), symbol: symbol && symbol.trim() !== "" ? symbol : shortHex(token) };
        cache.set(k, info);
        return info;
      })
      .finally(() => inflight.delete(k));
    inflight.set(k, p);
  }
  return p;
}

/** Every token of a list, read concurrently (one batch); tokens that fail to read are left out. */
export async function readTokenInfos(client: Client, chainId: number, tokens: Iterable<string>): Promise<Record<string, TokenInfo>> {
  const distinct = [...new Set([...tokens].map((t) => t.toLowerCase()))].filter((t) => !isEth(t));
  const results = await Promise.allSettled(distinct.map((t) => readTokenInfo(client, chainId, t as Address)));
  const out: Record<string, TokenInfo> = {};
  results.forEach((r, i) => {
    if (r.status === "fulfilled") out[distinct[i]] = r.value;
  });
  return out;
}
