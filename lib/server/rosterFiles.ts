/**
 * Server side of the roster files (Node only: route handlers and tests, never the browser bundle).
 *
 * - serveRosterFile: a folder of published roster files over HTTP with single-range support
 *   (app/api/roster-files/[...path]); on the devnet the folder is .devnet/rosters[-<port>]/. Only the
 *   files `roster build` publishes are served (PUBLISHED_FILES), never the CSV beside them.
 * - resolveRosterUri + relayRosterRange: a programme's on-chain URI (ipfs://, https://, or a file of
 *   this dApp) turned into bytes for the browser, one range at a time (app/api/rosters/[programme]/proofs).
 *   The browser only ever talks to its own origin (CSP connect-src 'self'), and this server only fetches
 *   URIs that a programme listed by the factory has published, so it is no open proxy.
 */
import { open, readFile, stat } from "node:fs/promises";
import type { RangeReader } from "../roster/files.ts";
import { RosterFileError, httpRangeReader } from "../roster/proof-lookup.ts";
import { join, resolve, sep } from "node:path";

/** The largest range we serve or relay: a bucket of records is ~16 x 700 bytes; the fan-out table 256 KiB. */
export const MAX_RANGE_BYTES = 1 << 20;
/** The URL path under which this dApp serves roster files. */
export const ROSTER_FILES_PATH = "/api/roster-files/";

export type ByteRange = { start: number; end: number }; // inclusive end, as in HTTP

/**
 * Parses a Range header against a file of `size` bytes. Only single byte ranges ("bytes=a-b",
 * "bytes=a-", "bytes=-n"): the proof lookup needs nothing else. undefined = no header (whole file);
 * "invalid" = unsatisfiable or unsupported (416).
 */
export function parseRange(header: string | null, size: number): ByteRange | "invalid" | undefined {
  if (header === null || header.trim() === "") return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return "invalid";
  return { start, end };
}

/** The folder of published roster files: ROSTER_FILES_DIR, else the devnet's (named after its RPC port). */
export function rosterFilesDir(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string {
  if (env.ROSTER_FILES_DIR) return resolve(env.ROSTER_FILES_DIR);
  let port = "8545";
  try {
    port = new URL(env.NEXT_PUBLIC_RPC_URL ?? "http://127.0.0.1:8545").port || "80";
  } catch {
    // a malformed RPC URL: fall back to the default devnet's folder
  }
  return join(cwd, ".devnet", port === "8545" ? "rosters" : `rosters-${port}`);
}

/** `segments` below `root`, or undefined if they would leave it (.., absolute parts, NUL). */
export function safeJoin(root: string, segments: string[]): string | undefined {
  if (segments.length === 0 || segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/") || s.includes("\\") || s.includes("\0"))) return undefined;
  const base = resolve(root);
  const full = resolve(base, ...segments);
  return full.startsWith(base + sep) ? full : undefined;
}

const TYPES: Record<string, string> = { json: "application/json", csv: "text/csv; charset=utf-8" };

/**
 * Only what `roster build` publishes. The officials' CSV may carry names and villages next to the
 * addresses (docs/ROSTER.md): it must never be served, even if someone copies it into the folder.
 */
export const PUBLISHED_FILES = new Set(["roster.proofs", "roster.tree", "summary.json", "roster.oz.json", "roster.households.csv"]);

const problem = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store", ...headers } });

/** GET/HEAD of one file under `root`, honouring a single Range. */
export async function serveRosterFile(root: string, segments: string[], request: Request): Promise<Response> {
  const path = PUBLISHED_FILES.has(segments.at(-1) ?? "") ? safeJoin(root, segments) : undefined;
  if (!path) return problem(404, "NotFound", "No such roster file.");
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return problem(404, "NotFound", "No such roster file.");
    size = s.size;
  } catch {
    return problem(404, "NotFound", "No such roster file.");
  }
  const ext = path.slice(path.lastIndexOf(".") + 1);
  const headers: Record<string, string> = {
    "accept-ranges": "bytes",
    "content-type": TYPES[ext] ?? "application/octet-stream",
    // The devnet rewrites the files on every start; a published file elsewhere would be immutable.
    "cache-control": "no-cache",
  };
  const range = parseRange(request.headers.get("range"), size);
  if (range === "invalid") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  const status = range ? 206 : 200;
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  headers["content-length"] = String(length);
  if (request.method === "HEAD") return new Response(null, { status, headers });
  if (range && length > MAX_RANGE_BYTES) return problem(416, "RangeTooLarge", `Ranges above ${MAX_RANGE_BYTES} bytes are not served.`);
  const file = await open(path, "r");
  try {
    if (!range) {
      // The whole file (checking the content hash): streamed, never held in memory.
      const stream = file.createReadStream();
      return new Response(stream as unknown as ReadableStream, { status, headers });
    }
    const bytes = new Uint8Array(length);
    const { bytesRead } = await file.read(bytes, 0, length, start);
    await file.close();
    return new Response(bytes.subarray(0, bytesRead), { status, headers });
  } catch (err) {
    await file.close().catch(() => undefined);
    throw err;
  }
}

export type ResolvedRosterUri = { kind: "local"; segments: string[] } | { kind: "remote"; url: string } | { kind: "unsupported"; reason: string };

/**
 * Where to read a published URI from. A file of this dApp (its own origin, or a bare path, under
 * /api/roster-files/) is read from disk; ipfs://<cid>/<path> goes through the configured gateway
 * (IPFS_GATEWAY, default https://ipfs.io); https:// (and http:// for a local devnet) as it is.
 */
export function resolveRosterUri(uri: string, selfOrigin: string, ipfsGateway = process.env.IPFS_GATEWAY || "https://ipfs.io"): ResolvedRosterUri {
  const trimmed = uri.trim();
  if (trimmed.startsWith("ipfs://")) {
    const rest = trimmed.slice("ipfs://".length).replace(/^ipfs\//, "");
    if (!/^[A-Za-z0-9]+(\/[^?#]*)?$/.test(rest)) return { kind: "unsupported", reason: "malformed ipfs:// URI" };
    return { kind: "remote", url: `${ipfsGateway.replace(/\/$/, "")}/ipfs/${rest}` };
  }
  let url: URL;
  try {
    url = new URL(trimmed, selfOrigin);
  } catch {
    return { kind: "unsupported", reason: "not a URI" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { kind: "unsupported", reason: `${url.protocol} URIs are not supported` };
  if (url.origin === new URL(selfOrigin).origin || trimmed.startsWith("/")) {
    if (!url.pathname.startsWith(ROSTER_FILES_PATH)) return { kind: "unsupported", reason: `a path of this site outside ${ROSTER_FILES_PATH}` };
    const segments = url.pathname.slice(ROSTER_FILES_PATH.length).split("/").map(decodeURIComponent);
    return { kind: "local", segments };
  }
  return { kind: "remote", url: url.toString() };
}

/**
 * One range of a remote roster file, relayed. A range is required (we never pull a county's file whole
 * through this server) and capped; the upstream must answer 206 with exactly that range.
 */
export async function relayRosterRange(url: string, request: Request, fetchImpl: typeof fetch = fetch, timeoutMs = 10_000): Promise<Response> {
  const header = request.headers.get("range");
  const m = header ? /^bytes=(\d+)-(\d+)$/.exec(header.trim()) : null;
  if (!m) return problem(400, "RangeRequired", "Ask for one byte range (Range: bytes=a-b).");
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start || end - start + 1 > MAX_RANGE_BYTES) return problem(416, "RangeTooLarge", `Ranges above ${MAX_RANGE_BYTES} bytes are not relayed.`);
  let upstream: Response;
  try {
    upstream = await fetchImpl(url, { headers: { range: `bytes=${start}-${end}` }, signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch {
    return problem(502, "RosterFileUnreachable", "The roster file's host did not answer.");
  }
  if (upstream.status === 404) return problem(404, "NotFound", "The published roster file is not at its URI.");
  if (upstream.status !== 206) {
    await upstream.body?.cancel();
    return problem(502, upstream.status === 200 ? "RangesUnsupported" : "RosterFileUnreachable", `The roster file's host answered ${upstream.status}, not a byte range.`);
  }
  const bytes = new Uint8Array(await upstream.arrayBuffer());
  if (bytes.length !== end - start + 1) return problem(502, "RosterFileUnreachable", "The roster file's host sent a different range.");
  return new Response(bytes, {
    status: 206,
    headers: { "content-type": "application/octet-stream", "content-range": upstream.headers.get("content-range") ?? `bytes ${start}-${end}/*`, "cache-control": "no-store" },
  });
}

/**
 * The URI of another file of the same build, beside the published one ("…/v1/roster.proofs" ->
 * "…/v1/roster.households.csv"); undefined when the URI names no file inside a folder.
 */
export function siblingUri(uri: string, file: string): string | undefined {
  const trimmed = uri.trim();
  const cut = trimmed.replace(/[?#].*$/, "");
  const slash = cut.lastIndexOf("/");
  if (slash < 0 || slash === cut.length - 1) return undefined;
  if (trimmed.startsWith("ipfs://") && cut.slice("ipfs://".length).indexOf("/") < 0) return undefined; // ipfs://<cid>: the file is the CID itself
  return `${cut.slice(0, slash + 1)}${file}`;
}

/**
 * Byte ranges of a published roster file, read on the server: from disk for a file of this dApp,
 * else from its host (ipfs:// through IPFS_GATEWAY, https://). Nothing read is trusted.
 */
export function publishedFileReader(uri: string, selfOrigin: string, root = rosterFilesDir()): RangeReader {
  const target = resolveRosterUri(uri, selfOrigin);
  if (target.kind === "unsupported") return async () => Promise.reject(new RosterFileError("unreachable", `${uri}: ${target.reason}`));
  if (target.kind === "remote") return httpRangeReader(target.url);
  const path = PUBLISHED_FILES.has(target.segments.at(-1) ?? "") ? safeJoin(root, target.segments) : undefined;
  return async (offset, length) => {
    if (!path) throw new RosterFileError("notPublished", `${uri}: not a published roster file`);
    let file;
    try {
      file = await open(path, "r");
    } catch {
      throw new RosterFileError("notPublished", `${uri}: no such file`);
    }
    try {
      const bytes = new Uint8Array(length);
      const { bytesRead } = await file.read(bytes, 0, length, offset);
      if (bytesRead !== length) throw new RosterFileError("corrupt", `${uri}: asked for ${length} bytes at ${offset}, got ${bytesRead}`);
      return bytes;
    } finally {
      await file.close();
    }
  };
}

/** A whole published file of at most `maxBytes` (the household list; never the proofs file), as text. */
export async function readPublishedText(uri: string, selfOrigin: string, maxBytes: number, root = rosterFilesDir(), timeoutMs = 10_000): Promise<{ text: string; version: string }> {
  const target = resolveRosterUri(uri, selfOrigin);
  if (target.kind === "unsupported") throw new RosterFileError("unreachable", `${uri}: ${target.reason}`);
  if (target.kind === "local") {
    const path = PUBLISHED_FILES.has(target.segments.at(-1) ?? "") ? safeJoin(root, target.segments) : undefined;
    if (!path) throw new RosterFileError("notPublished", `${uri}: not a published roster file`);
    let s;
    try {
      s = await stat(path);
    } catch {
      throw new RosterFileError("notPublished", `${uri}: no such file`);
    }
    if (s.size > maxBytes) throw new RosterFileError("corrupt", `${uri}: ${s.size} bytes, more than ${maxBytes}`);
    // The devnet rewrites its files on every start: the modification time tells a cached copy is stale.
    return { text: await readFile(path, "utf8"), version: `${s.mtimeMs}:${s.size}` };
  }
  let res: Response;
  try {
    res = await fetch(target.url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
  } catch (err) {
    throw new RosterFileError("unreachable", `cannot reach ${target.url}: ${(err as Error).message}`);
  }
  if (res.status === 404) throw new RosterFileError("notPublished", `${target.url}: 404`);
  if (res.status !== 200) throw new RosterFileError("unreachable", `${target.url}: HTTP ${res.status}`);
  if (Number(res.headers.get("content-length") ?? 0) > maxBytes) {
    await res.body?.cancel();
    throw new RosterFileError("corrupt", `${target.url}: more than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new RosterFileError("corrupt", `${target.url}: more than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), version: res.headers.get("etag") ?? "" };
}
