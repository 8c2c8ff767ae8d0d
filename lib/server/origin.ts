/**
 * This server's own origin as the browser reached it (for telling "a file of this dApp" from a remote
 * one: lib/server/rosterFiles.ts resolveRosterUri). Server components have no request URL, only headers.
 */
export function selfOrigin(h: Headers): string {
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "127.0.0.1";
  const proto = h.get("x-forwarded-proto") ?? (/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host) ? "http" : "https");
  return `${proto.split(",")[0].trim()}://${host}`;
}
