/**
 * Server-side reads for the roster pages: the pages are server components, so the programme's data is
 * in the first HTML and none of the read code or ABIs count in the pages' first-load JavaScript. The
 * claim and objection islands read again in the browser, and refresh the page after a write.
 */
import type { Address } from "viem";
import { getBlock } from "viem/actions";
import { defaultChainId, deploymentOn } from "../chain/deployments.ts";
import { readClient } from "../chain/client.ts";
import { listProgrammes, readProgramme } from "../roster/programme.ts";
import { ETH_INFO, isEth, readTokenInfo, type TokenInfo } from "../chain/tokens.ts";
import { formatAmount } from "../format/amount.ts";

export function rosterChain() {
  const chainId = defaultChainId();
  return { chainId, deployment: deploymentOn(chainId), client: readClient(chainId) };
}

export async function tokenInfoOf(chainId: number, token: Address): Promise<TokenInfo> {
  return isEth(token) ? ETH_INFO : readTokenInfo(readClient(chainId), chainId, token);
}

export const amountText = (value: bigint, info: TokenInfo, locale: string) => `${formatAmount(value, info.decimals, locale)} ${info.symbol}`;

export async function loadProgrammes() {
  const { chainId, deployment, client } = rosterChain();
  if (!deployment?.rosterFactory) return { chainId, deployed: false as const };
  const [programmes, block] = await Promise.all([listProgrammes(client, deployment), getBlock(client)]);
  const tokens = Object.fromEntries(await Promise.all([...new Set(programmes.map((p) => p.token))].map(async (t) => [t, await tokenInfoOf(chainId, t)] as const)));
  return { chainId, deployed: true as const, programmes, tokens, now: Number(block.timestamp) };
}

export async function loadProgramme(address: Address) {
  const { chainId, deployment, client } = rosterChain();
  if (!deployment?.rosterFactory) return { chainId, deployed: false as const };
  const programme = await readProgramme(client, deployment, address);
  if (!programme) return { chainId, deployed: true as const, programme: undefined };
  return { chainId, deployed: true as const, programme, token: await tokenInfoOf(chainId, programme.token) };
}
