/**
 * The relayer's HTTP API over node:http (JSON only):
 *   GET  /v1/health      -> 200 { chainId, relayer, balanceWei, factory, maxBatch, batchIntervalMs, queued }
 *   POST /v1/claims      -> 202 { id, status: "queued" } or 4xx/503 { error: { code, message, field?, params? } }
 *   GET  /v1/claims/:id  -> 200 the claim's record, or 404 UnknownClaim
 * The key never appears in any answer: only the relayer's address does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RelayerError, refusalFor } from "./errors.ts";
import type { Relayer } from "./relayer.ts";

/** A signed claim with a depth-30 proof is under 3 KB; 16 KB leaves room for an ERC-1271 signature. */
export const MAX_BODY_BYTES = 16 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: RelayerError, headers: Record<string, string> = {}) {
  if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
  send(res, err.status, err.toJSON(), headers);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > limit) return reject(new RelayerError("MalformedRequest", `The body is larger than ${limit} bytes.`, { field: "body", status: 413 }));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new RelayerError("MalformedRequest", `The body is larger than ${limit} bytes.`, { field: "body", status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function relayerListener(relayer: Relayer, o: { maxBodyBytes?: number; log?: (line: string) => void } = {}) {
  const limit = o.maxBodyBytes ?? MAX_BODY_BYTES;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://relayer").pathname;
    const method = req.method ?? "GET";
    const allow = (methods: string) => {
      if (methods.split(", ").includes(method)) return true;
      sendError(res, new RelayerError("MethodNotAllowed", `${method} is not allowed here; use ${methods}.`), { allow: methods });
      return false;
    };
    try {
      if (path === "/v1/health") {
        if (allow("GET")) send(res, 200, await relayer.health());
      } else if (path === "/v1/claims") {
        if (!allow("POST")) return;
        const type = String(req.headers["content-type"] ?? "");
        if (!/^application\/json\b/i.test(type)) throw new RelayerError("MalformedRequest", "Send the claim as application/json.", { field: "content-type", status: 415 });
        const text = await readBody(req, limit);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new RelayerError("MalformedRequest", "The body is not valid JSON.", { field: "body" });
        }
        send(res, 202, await relayer.submit(body));
      } else if (/^\/v1\/claims\/[^/]+$/.test(path)) {
        if (allow("GET")) send(res, 200, relayer.claim(decodeURIComponent(path.slice("/v1/claims/".length))));
      } else {
        sendError(res, new RelayerError("UnknownEndpoint", `No such route: ${path}. Routes: GET /v1/health, POST /v1/claims, GET /v1/claims/:id.`));
      }
    } catch (err) {
      const refusal = err instanceof RelayerError ? err : refusalFor(err);
      if (!(err instanceof RelayerError)) o.log?.(`unexpected: ${(err as Error)?.stack ?? err}`);
      if (!res.headersSent) sendError(res, refusal);
    }
  };
}

export interface RunningServer {
  server: Server;
  url: string;
  port: number;
  close: () => Promise<void>;
}

/** Listens on host:port (port 0 = any free port). close() stops accepting, then flushes the queue. */
export function startRelayerServer(relayer: Relayer, o: { port: number; host?: string; log?: (line: string) => void }): Promise<RunningServer> {
  const host = o.host ?? "127.0.0.1";
  const server = createServer(relayerListener(relayer, { log: o.log }));
  // Requests are small; a slow client must not hold a socket for minutes.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        url: `http://${host}:${port}`,
        close: async () => {
          await new Promise<void>((r) => {
            server.close(() => r());
            server.closeIdleConnections();
          });
          await relayer.stop();
        },
      });
    });
  });
}
