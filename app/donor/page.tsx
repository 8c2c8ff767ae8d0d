/**
 * A donor's page: give to a project that is raising money (the shared donation form), and see where each
 * unit already given went. The server reads the books (lib/server/escrow.ts) and hands the island what
 * it shows; the island knows which account is connected.
 */
import { getLocale, getTranslations } from "next-intl/server";
import { pseudonym } from "@/lib/format/text";
import { loadEscrow, tokenOf } from "@/lib/server/escrow";
import { projectStatus } from "@/lib/escrow/status";
import { projectTitle } from "@/components/ProjectBits";
import { PageShell } from "@/components/PageShell";
import { DonorIsland } from "./islands";
import type { DonorProject } from "./DonorPanels";

export const dynamic = "force-dynamic";

export default async function DonorPage() {
  const tp = await getTranslations("project");
  const tc = await getTranslations("common");
  const locale = await getLocale();
  const read = await loadEscrow();
  if (!read.ok)
    return (
      <PageShell ns="donor">
        <p className="error" role="alert">
          {tc("loadFailed")}
        </p>
      </PageShell>
    );
  const { view } = read;
  const projects: DonorProject[] = [...view.books.projects.values()].map((p) => {
    const title = projectTitle(p, locale);
    return {
      projectId: p.projectId,
      termsVersion: p.termsVersion,
      name: title ? `#${p.projectId} ${title}` : tp("untitled", { id: String(p.projectId) }),
      status: projectStatus(p, view.now),
      token: p.terms.token,
      tokenInfo: tokenOf(view, p.terms.token),
      raised: p.raised,
      claimed: p.claimed,
      donors: p.donors,
      households: [...p.households.values()].filter((b) => b.claimed > 0n).map((b) => ({ name: pseudonym(b.commitment), claimed: b.claimed })),
    };
  });
  return (
    <PageShell ns="donor">
      <DonorIsland projects={projects} now={view.now} />
    </PageShell>
  );
}
