/**
 * The current roster file of a listed programme, one byte range at a time, for the claim flow's proof
 * lookup. It reads the URI the programme published on chain (never one the browser names), reads a
 * file of this dApp from disk and relays anything else (ipfs:// through IPFS_GATEWAY, https://), so the
 * browser only talks to its own origin. The browser checks the proof against the on-chain root itself.
 */
import { isAddress, type Address } from "viem";
import { defaultChainId, deploymentOn } from "@/lib/chain/deployments";
import { readClient } from "@/lib/chain/client";
import { readView } from "@/lib/chain/client";
import { aidRosterProgrammeAbi } from "@/lib/generated/aidRosterProgramme";
import { isListedProgramme } from "@/lib/roster/programme";
import { relayRosterRange, resolveRosterUri, rosterFilesDir, serveRosterFile } from "@/lib/server/rosterFiles";

export const dynamic = "force-dynamic";

const problem = (status: number, code: string, message: string) => Response.json({ error: { code, message } }, { status, headers: { "cache-control": "no-store" } });

export async function GET(request: Request, { params }: { params: Promise<{ programme: string }> }) {
  const { programme } = await params;
  if (!isAddress(programme)) return problem(400, "MalformedRequest", "Not a programme address.");
  const chainId = defaultChainId();
  const d = deploymentOn(chainId);
  if (!d?.rosterFactory) return problem(404, "UnknownProgramme", "No roster factory is deployed on this chain.");
  const client = readClient(chainId);
  let uri: string;
  try {
    if (!(await isListedProgramme(client, d, programme as Address))) return problem(404, "UnknownProgramme", "The factory does not list this programme.");
    uri = (await readView(client, { address: programme as Address, abi: aidRosterProgrammeAbi, functionName: "roster" })).uri;
  } catch {
    return problem(503, "NodeUnavailable", "The chain could not be read.");
  }
  if (!uri) return problem(404, "NotPublished", "The programme has not published a roster.");
  const target = resolveRosterUri(uri, new URL(request.url).origin);
  if (target.kind === "unsupported") return problem(422, "UnsupportedUri", `The published URI cannot be read: ${target.reason}.`);
  if (target.kind === "local") {
    // Only ranges: the whole file is at the published URI itself for anyone who wants it.
    if (!request.headers.get("range")) return problem(400, "RangeRequired", "Ask for one byte range (Range: bytes=a-b).");
    return serveRosterFile(rosterFilesDir(), target.segments, request);
  }
  return relayRosterRange(target.url, request);
}
