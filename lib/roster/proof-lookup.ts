/**
 * A beneficiary's own record from a programme's published roster file, read with HTTP range requests
 * (three small reads: header, two fan-out entries, one bucket of ~16 records), so the browser never
 * downloads a county's file whole. The bytes come through our own origin
 * (/api/rosters/<programme>/proofs, which resolves the URI the programme published on chain), so the
 * CSP keeps connect-src 'self'. Nothing read here is trusted: the caller checks the proof against the
 * on-chain root (proofMatchesRoot) before offering a claim.
 */
import type { Address } from "viem";
import { fetchProofRecord, type ProofRecord, type RangeReader } from "./files.ts";
import { fromHex } from "./bytes.ts";

/** Why a range read failed, as a sentence key (roster.file.<code>). */
export class RosterFileError extends Error {
  readonly code: "unreachable" | "noRanges" | "corrupt" | "notPublished";
  constructor(code: RosterFileError["code"], message: string) {
    super(message);
    this.code = code;
  }
}

/** Reads byte ranges of `url` with Range requests; refuses a server that answers with the whole file. */
export function httpRangeReader(url: string, fetchImpl: typeof fetch = fetch): RangeReader {
  return async (offset, length) => {
    let res: Response;
    try {
      res = await fetchImpl(url, { headers: { range: `bytes=${offset}-${offset + length - 1}` }, cache: "no-store" });
    } catch (err) {
      throw new RosterFileError("unreachable", `cannot reach ${url}: ${(err as Error).message}`);
    }
    if (res.status === 404) throw new RosterFileError("notPublished", `${url}: no roster file (404)`);
    if (res.status !== 206) {
      // A 200 would be the whole file (728 MB for a million households): never read it.
      await res.body?.cancel();
      throw new RosterFileError(res.status === 200 ? "noRanges" : "unreachable", `${url}: expected 206 Partial Content, got ${res.status}`);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== length) throw new RosterFileError("corrupt", `${url}: asked for ${length} bytes at ${offset}, got ${bytes.length}`);
    return bytes;
  };
}

/** The same-origin path the dApp reads a programme's roster file through. */
export const rosterProofsPath = (programme: Address) => `/api/rosters/${programme}/proofs`;

/** The account's record (with the file's header root), or undefined when the account is not on the roster. */
export async function lookupProof(read: RangeReader, account: Address): Promise<(ProofRecord & { root: string }) | undefined> {
  try {
    return await fetchProofRecord(read, fromHex(account.toLowerCase(), 20));
  } catch (err) {
    if (err instanceof RosterFileError) throw err;
    throw new RosterFileError("corrupt", (err as Error).message);
  }
}
