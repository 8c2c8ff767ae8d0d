/**
 * Same-origin proxy to the relayer (scripts/relayer.ts): /api/relayer/v1/... -> RELAYER_URL/v1/...
 * The URL is read per request (server-side env, or the devnet's state file), so the CSP stays
 * connect-src 'self' and the relayer can move without rebuilding the dApp. See lib/server/relayerProxy.ts.
 */
import { proxyToRelayer, relayerBaseUrl } from "@/lib/server/relayerProxy";

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const { path } = await params;
  return proxyToRelayer(request, path, await relayerBaseUrl(request.url));
}

export const GET = handle;
export const POST = handle;
