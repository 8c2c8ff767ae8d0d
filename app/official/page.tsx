/** The officials' tasks: the server reads chain time and the projects taking enrolments; the island writes. */
import { getLocale, getTranslations } from "next-intl/server";
import { loadEscrow } from "@/lib/server/escrow";
import { projectStatus } from "@/lib/escrow/status";
import { projectTitle } from "@/components/ProjectBits";
import { PageShell } from "@/components/PageShell";
import { OfficialIsland } from "./islands";

export const dynamic = "force-dynamic";

export default async function OfficialPage() {
  const tc = await getTranslations("common");
  const locale = await getLocale();
  const read = await loadEscrow();
  if (!read.ok)
    return (
      <PageShell ns="official">
        <p className="error" role="alert">
          {tc("loadFailed")}
        </p>
      </PageShell>
    );
  const { books, now } = read.view;
  const projects = [...books.projects.values()]
    .filter((p) => ["Funding", "Active"].includes(projectStatus(p, now)))
    .map((p) => ({ projectId: String(p.projectId), name: `#${p.projectId} ${projectTitle(p, locale) ?? ""}`.trim() }));
  return (
    <PageShell ns="official">
      <OfficialIsland now={now} projects={projects} />
    </PageShell>
  );
}
