/**
 * Objection reasons, content-addressed (issue 9, item 3): POST /api/objections/<hash> {"text": "..."}
 * stores a reason whose keccak256 is <hash> (the reasonHash its objection records on chain), refusing
 * personal data; GET /api/objections/<hash> serves it. Files under OBJECTIONS_DIR (on the devnet
 * .devnet/objections-<rpc port>/). See lib/server/objections.ts for every answer.
 */
import { handleObjectionText } from "@/lib/server/objections";

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  return handleObjectionText(request, hash);
}

export const GET = handle;
export const POST = handle;
