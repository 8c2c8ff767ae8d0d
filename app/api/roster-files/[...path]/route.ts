/**
 * Published roster files, served with HTTP Range support from ROSTER_FILES_DIR (on the devnet
 * .devnet/rosters[-<port>]/, where the seed writes them). A deployment that publishes on IPFS or a CDN
 * does not need this route; the proof lookup goes through app/api/rosters/[programme]/proofs either way.
 */
import { rosterFilesDir, serveRosterFile } from "@/lib/server/rosterFiles";

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  return serveRosterFile(rosterFilesDir(), path, request);
}

export const GET = handle;
export const HEAD = handle;
