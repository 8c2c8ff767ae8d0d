/**
 * A listed programme's households, one page at a time (issue 9, item 4):
 * GET /api/rosters/<programme>/households?q=<search>&village=<name>&page=<0-based>
 * -> { total, page, pageSize, pages, villages, rows: [{ index, beneficiary, amount, village, pseudonym,
 * verified, objection? }] }. Read from the programme's published household list on the server (never
 * the whole file to the browser); each row checked against the proofs file and the on-chain root
 * (lib/server/rosterHouseholds.ts). The households page renders the same pages on the server.
 */
import { isAddress, type Address } from "viem";
import { loadProgramme } from "@/lib/server/roster";
import { householdPage } from "@/lib/server/rosterHouseholds";

export const dynamic = "force-dynamic";

const problem = (status: number, code: string, message: string, field?: string) =>
  Response.json({ error: { code, message, ...(field && { field }) } }, { status, headers: { "cache-control": "no-store" } });

export async function GET(request: Request, { params }: { params: Promise<{ programme: string }> }) {
  const { programme } = await params;
  if (!isAddress(programme)) return problem(400, "MalformedRequest", "Not a programme address.", "programme");
  const url = new URL(request.url);
  const pageText = url.searchParams.get("page") ?? "0";
  if (!/^\d{1,6}$/.test(pageText)) return problem(400, "MalformedRequest", "page must be a whole number from 0.", "page");
  const q = url.searchParams.get("q") ?? "";
  if (q.length > 100) return problem(400, "MalformedRequest", "q is at most 100 characters.", "q");
  let data: Awaited<ReturnType<typeof loadProgramme>>;
  try {
    data = await loadProgramme(programme as Address);
  } catch {
    return problem(503, "NodeUnavailable", "The chain could not be read.");
  }
  if (!data.deployed || !data.programme) return problem(404, "UnknownProgramme", "The factory does not list this programme.", "programme");
  const page = await householdPage(data.programme, { q, village: url.searchParams.get("village") ?? undefined, page: Number(pageText) }, url.origin);
  if (!page.available) return problem(404, page.reason === "noRoster" ? "NotPublished" : page.reason === "notPublished" ? "NoHouseholdList" : "HouseholdListUnreadable", `No household list: ${page.reason}.`);
  return Response.json(page, { headers: { "cache-control": "no-store" } });
}
