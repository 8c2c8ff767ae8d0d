/**
 * The browser's side of the objection-text service (app/api/objections/[hash], lib/server/objections.ts):
 * publish a reason before its hash goes on chain, so that no objection is recorded whose text the
 * reviewer cannot read. Browser-safe (fetch only).
 */
import type { Hex } from "viem";
import { objectionTextHash } from "./text.ts";

export const OBJECTIONS_BASE = "/api/objections";

/** The service refused the text, or could not be reached (code "Unreachable"). */
export class ObjectionTextRefusal extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.params = params;
  }
}

/** Stores a (normalised, checked) text; resolves to its hash once the server holds it durably. */
export async function publishObjectionText(text: string, fetchImpl: typeof fetch = fetch): Promise<Hex> {
  const hash = objectionTextHash(text);
  let res: Response;
  try {
    res = await fetchImpl(`${OBJECTIONS_BASE}/${hash}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text }) });
  } catch (err) {
    throw new ObjectionTextRefusal("Unreachable", (err as Error).message);
  }
  if (res.ok) return hash;
  const body = (await res.json().catch(() => undefined)) as { error?: { code?: string; message?: string; params?: Record<string, unknown> } } | undefined;
  throw new ObjectionTextRefusal(body?.error?.code ?? "Unreachable", body?.error?.message ?? `HTTP ${res.status}`, body?.error?.params);
}
