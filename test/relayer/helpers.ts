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

/**
 * The in-process Hardhat network as a JSON-RPC endpoint over HTTP, for a relayer running as its own
 * process (scripts/relayer.ts): the same chain the tests deploy to and read from.
 */
export async function serveRpc(): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const answer = async (call: { id?: unknown; method: string; params?: unknown[] }) => {
    try {
      return { jsonrpc: "2.0", id: call.id ?? null, result: await connection.provider.request({ method: call.method, params: call.params ?? [] }) };
    } catch (err) {
      const e = err as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id ?? null, error: { code: typeof e.code === "number" ? e.code : -32603, message: e.message ?? String(err), data: e.data } };
    }
  };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const parsed = JSON.parse(body);
      const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
      const text = JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v));
      res.writeHead(200, { "content-type": "application/json" }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
