/** Figures per project and per official, from events alone, rendered on the server (lib/server/escrow.ts). */
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadEscrow, tokenOf } from "@/lib/server/escrow";
import { projectFigures } from "@/lib/books/escrow";
import { shortHex } from "@/lib/format/text";
import { AmountCells, DataTable } from "@/components/DataTable";
import { ProjectName } from "@/components/ProjectBits";

export const dynamic = "force-dynamic";

export default async function EvaluationPage({ searchParams }: { searchParams: Promise<{ project?: string; official?: string }> }) {
  const { project, official } = await searchParams;
  const t = await getTranslations("evaluation");
  const tc = await getTranslations("common");
  const read = await loadEscrow();
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {!read.ok ? (
        <p className="error" role="alert">
          {tc("loadFailed")}
        </p>
      ) : (
        (() => {
          const l = read.view.books;
          const projects = [...l.projects.values()].filter((p) => !project || String(p.projectId) === project);
          const officials = [...l.officials.values()].filter((o) => !official || o.official.toLowerCase() === official.toLowerCase());
          return (
            <>
              {(project || official) && (
                <p>
                  <Link href="/evaluation">{t("showAll")}</Link>
                </p>
              )}
              {!official && (
                <section className="card">
                  <h2>{t("perProject")}</h2>
                  <DataTable
                    columns={[
                      t("project"),
                      t("raised"),
                      t("released"),
                      t("claimed"),
                      t("refunded"),
                      t("enrolments"),
                      t("timeToRelease"),
                      t("exits"),
                      t("objectionsUpheld"),
                      t("revocations"),
                    ]}
                  >
                    {projects.map((p) => {
                      const f = projectFigures(p, l);
                      return (
                        <tr key={String(p.projectId)}>
                          <td>
                            <Link href={`/projects/${p.projectId}`}>
                              <ProjectName p={p} />
                            </Link>
                          </td>
                          <AmountCells values={[p.raised, p.committed, p.claimed, p.refunded]} token={tokenOf(read.view, p.terms.token)} />
                          <td>{f.enrolments}</td>
                          <td>{f.avgDays === undefined ? "—" : t("daysValue", { n: f.avgDays.toFixed(1) })}</td>
                          <td>{f.exits}</td>
                          <td>{t("ofTotal", { n: f.upheld, total: f.objections })}</td>
                          <td>{f.revocations}</td>
                        </tr>
                      );
                    })}
                  </DataTable>
                </section>
              )}
              {!project && (
                <section className="card">
                  <h2>{t("perOfficial")}</h2>
                  <DataTable
                    columns={[
                      t("official"),
                      t("active"),
                      t("attestations"),
                      t("revokedOfTheirs"),
                      t("revocationsMade"),
                      t("enrolmentsMade"),
                      t("exitsRecorded"),
                      t("upheldAgainst"),
                    ]}
                  >
                    {officials.map((o) => (
                      <tr key={o.official} data-testid={`official-${o.official.toLowerCase()}`}>
                        <td className="mono">
                          <Link href={`/evaluation?official=${o.official}`}>{shortHex(o.official)}</Link>
                        </td>
                        <td>{o.active ? t("yes") : t("no")}</td>
                        <td>{o.attestations}</td>
                        <td>{o.revokedOfTheirs}</td>
                        <td>{o.revocationsMade}</td>
                        <td>{o.enrolments}</td>
                        <td>{o.exits}</td>
                        <td>{o.upheldAgainst}</td>
                      </tr>
                    ))}
                  </DataTable>
                </section>
              )}
            </>
          );
        })()
      )}
    </>
  );
}
