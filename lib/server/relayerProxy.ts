/**
 * The dApp's same-origin door to the relayer (app/api/relayer/[...path]): the browser posts signed
 * claims to /api/relayer/v1/... and this forwards them to RELAYER_URL, read at request time, so the
 * relayer's origin never enters the CSP and can move without a rebuild. Node only.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Signed claims are small (a proof of depth 20 is ~1.4 KB of hex): anything much larger is not one. */
export const MAX_BODY_BYTES = 64 * 1024;
export const RELAYER_TIMEOUT_MS = 10_000;

const problem = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  Response.json({ error: { code, message, ...extra } }, { status, headers: { "cache-control": "no-store" } });

/**
 * Where the relayer is: RELAYER_URL; else, on the devnet, the `relayerUrl` the devnet wrote to its state
 * file (.devnet/state[-<rpc port>].json); else the devnet's convention, this server's port + 1.
 */
export async function relayerBaseUrl(requestUrl: string, env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Promise<string> {
  if (env.RELAYER_URL?.trim()) return env.RELAYER_URL.trim().replace(/\/$/, "");
  try {
    const port = new URL(env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8545").port || "80";
    const state = JSON.parse(await readFile(join(cwd, ".devnet", port === "8545" ? "state.json" : `state-${port}.json`), "utf8"));
    if (typeof state.relayerUrl === "string" && state.relayerUrl) return state.relayerUrl.replace(/\/$/, "");
  } catch {
    // no devnet state: use the port convention
  }
  const self = new URL(requestUrl);
  const port = Number(self.port || (self.protocol === "https:" ? 443 : 80));
  return `http://127.0.0.1:${port + 1}`;
}

/** Forwards one request to the relayer's /v1 API: method, JSON body, status, Retry-After. */
export async function proxyToRelayer(request: Request, path: string[], base: string, fetchImpl: typeof fetch = fetch, timeoutMs = RELAYER_TIMEOUT_MS): Promise<Response> {
  if (path[0] !== "v1" || path.length < 2 || path.some((s) => s === "" || s === "." || s === ".." || /[/\\?#]/.test(s)))
    return problem(404, "UnknownEndpoint", "The relayer has no such endpoint.");
  if (request.method !== "GET" && request.method !== "POST") return problem(405, "MalformedRequest", `${request.method} is not supported.`);
  let body: string | undefined;
  if (request.method === "POST") {
    body = await request.text();
    if (new TextEncoder().encode(body).length > MAX_BODY_BYTES) return problem(413, "MalformedRequest", "The request is too large to be a signed claim.", { field: "body" });
  }
  const url = `${base}/${path.map(encodeURIComponent).join("/")}${new URL(request.url).search}`;
  let upstream: Response;
  try {
    upstream = await fetchImpl(url, {
      method: request.method,
      headers: { accept: "application/json", ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
  } catch {
    return problem(503, "RelayerUnavailable", "The relayer is not answering. Try again later, or claim directly.");
  }
  const text = await upstream.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const hasCode = typeof (json as { error?: { code?: unknown } })?.error?.code === "string";
  // A proxy in front of the relayer, or a crash, answers without our error shape: say it in ours.
  if (json === undefined || (upstream.status >= 500 && !hasCode)) return problem(503, "RelayerUnavailable", "The relayer is not answering. Try again later, or claim directly.");
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  const retryAfter = upstream.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  return new Response(text, { status: upstream.status, headers });
}
