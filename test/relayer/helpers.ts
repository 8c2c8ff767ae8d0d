/**
 * The relayer against the in-process Hardhat network: the real core (lib/relayer) and the real HTTP
 * server on a free port, talking to the chain through viem over Hardhat's EIP-1193 provider. The
 * relayer key is Hardhat's dev account #19, as on the devnet.
 */
import { custom, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { connection, ethers } from "../helpers/fixtures.ts";
import { relayerClients } from "../../lib/relayer/clients.ts";
import { Relayer, type RelayerOptions } from "../../lib/relayer/relayer.ts";
import { startRelayerServer, type RunningServer } from "../../lib/relayer/http.ts";
import { claimToJson, type SignedRosterClaim } from "../../lib/relayer/request.ts";

/** Hardhat's well-known dev mnemonic (public keys: local use only). */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
export const RELAYER_ACCOUNT = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 19 });
/** The hex of the relayer's private key, to prove it never leaves the process. */
export const RELAYER_KEY_HEX = Buffer.from(RELAYER_ACCOUNT.getHdKey().privateKey!).toString("hex");

// No retries: Hardhat reports reverts as unknown RPC errors, which viem would otherwise retry with back-off.
export const transport = custom({ request: (args) => connection.provider.request(args) }, { retryCount: 0 });

/** Every response body seen by any test, checked for the key at the end. */
export const seenBodies: string[] = [];

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>;
  text: string;
}

export interface TestRelayer {
  relayer: Relayer;
  server: RunningServer;
  url: string;
  post: (body: unknown, init?: { contentType?: string; raw?: string }) => Promise<Answer>;
  get: (path: string) => Promise<Answer>;
  request: (path: string, init: RequestInit) => Promise<Answer>;
  /** Nonce and balance of the relayer's key: unchanged means no gas was spent. */
  spent: () => Promise<{ nonce: number; balance: bigint }>;
  close: () => Promise<void>;
}

export async function startRelayer(factory: string, o: Partial<Omit<RelayerOptions, "publicClient" | "walletClient" | "factory">> & { account?: typeof RELAYER_ACCOUNT } = {}): Promise<TestRelayer> {
  const clients = await relayerClients(transport, o.account ?? RELAYER_ACCOUNT, 20);
  // A long interval by default: tests decide when a batch goes (drain) unless they test the timer.
  const relayer = new Relayer({ ...clients, factory: factory as Address, batchIntervalMs: 60_000, ...o });
  const server = await startRelayerServer(relayer, { port: 0 });
  const request = async (path: string, init: RequestInit): Promise<Answer> => {
    const res = await fetch(server.url + path, init);
    const text = await res.text();
    seenBodies.push(text, JSON.stringify([...res.headers]));
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {}, text };
  };
  const address = relayer.address;
  return {
    relayer,
    server,
    url: server.url,
    request,
    post: (body, init = {}) =>
      request("/v1/claims", {
        method: "POST",
        headers: { "content-type": init.contentType ?? "application/json" },
        body: init.raw ?? JSON.stringify(body),
      }),
    get: (path) => request(path, { method: "GET" }),
    spent: async () => ({ nonce: await ethers.provider.getTransactionCount(address), balance: await ethers.provider.getBalance(address) }),
    close: () => server.close(),
  };
}

/** The POST body for a signed claim built by test/roster/helpers.ts's signedClaim. */
export function claimBody(programme: string, claim: { index: bigint; tranche: bigint; account: string; amount: bigint; nonce: bigint; deadline: bigint; proof: string[]; signature: string }) {
  return { programme, claim: claimToJson(claim as SignedRosterClaim) };
}
