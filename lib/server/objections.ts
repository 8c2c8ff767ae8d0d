/**
 * The objection-text service (app/api/objections/[hash]): POST stores a reason whose keccak256 is the
 * hash in the URL, GET serves it. Node only. Bad input is a 4xx naming the field, never a 500:
 *
 *   400 MalformedHash    (field "hash")  the URL's hash is not 0x + 64 hex digits
 *   400 MalformedRequest (field "body")  not a JSON object with a string "text"
 *   413 TooLarge         (field "body")  the request body is larger than any reason can be
 *   422 TooLong          (field "text")  the text is above MAX_OBJECTION_TEXT_BYTES
 *   422 Empty            (field "text")  nothing but spaces
 *   422 PersonalData     (field "text")  an ID number, phone number, e-mail address or long number (params.kind)
 *   422 HashMismatch     (field "text")  keccak256(text) is not the URL's hash (params.expected, params.actual)
 *   404 NotStored        (field "hash")  GET of a hash nobody stored a text for
 *   503 StoreUnavailable                 the disk refused (nothing was accepted)
 * 201 stored / 200 already stored (the same text). The page shows each code as a sentence
 * (objectionText.server.<code>).
 */
import { ObjectionTextStore, objectionsDir, type StoredObjectionText } from "../objections/store.ts";
import { MAX_OBJECTION_TEXT_BYTES, checkObjectionText, isReasonHash, objectionTextHash } from "../objections/text.ts";

export const OBJECTION_SERVICE_CODES = ["MalformedHash", "MalformedRequest", "TooLarge", "TooLong", "Empty", "PersonalData", "HashMismatch", "NotStored", "StoreUnavailable"] as const;
export type ObjectionServiceCode = (typeof OBJECTION_SERVICE_CODES)[number];

/** Room for the JSON around a text of the largest size, with every character escaped. */
const MAX_BODY_BYTES = MAX_OBJECTION_TEXT_BYTES * 6 + 1024;

const problem = (status: number, code: ObjectionServiceCode, message: string, field?: string, params?: Record<string, unknown>) =>
  Response.json({ error: { code, message, ...(field && { field }), ...(params && { params }) } }, { status, headers: { "cache-control": "no-store" } });

let defaultStore: ObjectionTextStore | undefined;
/** The store of this server (OBJECTIONS_DIR or the devnet's folder), made once. */
export function objectionStore(): ObjectionTextStore {
  defaultStore ??= new ObjectionTextStore(objectionsDir());
  return defaultStore;
}

export async function handleObjectionText(request: Request, hash: string, store: ObjectionTextStore = objectionStore()): Promise<Response> {
  if (!isReasonHash(hash)) return problem(400, "MalformedHash", "The hash must be 0x followed by 64 hex digits.", "hash");
  if (request.method === "GET" || request.method === "HEAD") {
    let stored: StoredObjectionText | undefined;
    try {
      stored = await store.get(hash);
    } catch {
      return problem(503, "StoreUnavailable", "The objection texts cannot be read right now.");
    }
    if (!stored) return problem(404, "NotStored", "Nobody stored a text for this hash.", "hash");
    // The file is not trusted either: a text that no longer hashes to its name is not served as it.
    if (!stored.matches) return problem(404, "NotStored", "The stored text does not match this hash.", "hash");
    return Response.json({ hash: hash.toLowerCase(), text: stored.text }, { headers: { "cache-control": "public, max-age=31536000, immutable" } });
  }
  if (request.method !== "POST") return problem(400, "MalformedRequest", `${request.method} is not supported: GET or POST.`, "method");
  const raw = await request.text();
  if (new TextEncoder().encode(raw).length > MAX_BODY_BYTES) return problem(413, "TooLarge", "The request is larger than any reason can be.", "body");
  let text: unknown;
  try {
    text = (JSON.parse(raw) as { text?: unknown })?.text;
  } catch {
    return problem(400, "MalformedRequest", "The body must be JSON: {\"text\": \"...\"}.", "body");
  }
  if (typeof text !== "string") return problem(400, "MalformedRequest", "The body must carry the reason as a string in \"text\".", "text");
  const issue = checkObjectionText(text);
  if (issue === "empty") return problem(422, "Empty", "The reason is empty.", "text");
  if (issue === "tooLong") return problem(422, "TooLong", `A reason is at most ${MAX_OBJECTION_TEXT_BYTES} bytes.`, "text", { max: MAX_OBJECTION_TEXT_BYTES });
  if (issue) return problem(422, "PersonalData", "The reason seems to carry personal data; it is published, so it must not.", "text", { kind: issue });
  const actual = objectionTextHash(text);
  if (actual !== hash.toLowerCase())
    return problem(422, "HashMismatch", "keccak256 of the text is not the hash in the URL.", "text", { expected: hash.toLowerCase(), actual });
  try {
    const { result } = await store.put(text);
    return Response.json({ hash: actual, stored: true }, { status: result === "stored" ? 201 : 200, headers: { "cache-control": "no-store" } });
  } catch {
    return problem(503, "StoreUnavailable", "The text could not be saved; nothing was accepted. Try again.");
  }
}

/** What a page shows for an on-chain reason hash: the text when stored and matching. */
export type ObjectionReason = { state: "text"; text: string } | { state: "missing" } | { state: "mismatch" };

/** The reasons behind several hashes, read from this server's store (the reviewer page's first paint). */
export async function readObjectionReasons(hashes: readonly string[], store: ObjectionTextStore = objectionStore()): Promise<Map<string, ObjectionReason>> {
  const out = new Map<string, ObjectionReason>();
  await Promise.all(
    [...new Set(hashes.map((h) => h.toLowerCase()))].map(async (hash) => {
      let stored: StoredObjectionText | undefined;
      try {
        stored = isReasonHash(hash) ? await store.get(hash) : undefined;
      } catch {
        stored = undefined;
      }
      out.set(hash, !stored ? { state: "missing" } : stored.matches ? { state: "text", text: stored.text } : { state: "mismatch" });
    }),
  );
  return out;
}
