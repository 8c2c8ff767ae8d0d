"use client";
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { EscrowBooks, ProjectBook } from "@/lib/escrow/events";
import { shortHex } from "@/lib/format/text";
import { useEscrowBooks } from "@/hooks/useChainData";
import { AmountCells, DataTable } from "@/components/DataTable";
import { Loading, ProjectName } from "@/components/ProjectBits";

/** Figures from events alone, per project. */
export function projectFigures(p: ProjectBook, l: EscrowBooks) {
  const list = [...p.households.values()];
  const firstClaimDelays = list.filter((b) => b.claims.length > 0).map((b) => Math.min(...b.claims.map((c) => c.at)) - b.enrolledAt);
  const avgDays = firstClaimDelays.length ? firstClaimDelays.reduce((a, b) => a + b, 0) / firstClaimDelays.length / 86400 : undefined;
  const commitments = new Set(list.map((b) => b.commitment));
  const revocations = l.attestations.filter((a) => a.revoked && commitments.has(a.commitment) && p.terms.conditions.includes(a.conditionId)).length;
  return {
    enrolments: list.length,
    exits: list.filter((b) => b.status === "Exited").length,
    objections: list.reduce((n, b) => n + b.objections.length, 0),
    upheld: list.filter((b) => b.status === "Removed").length,
    revocations,
    avgDays,
  };
}

export function EvaluationView({ project, official }: { project?: string; official?: string }) {
  const t = useTranslations("evaluation");
  const { data, error } = useEscrowBooks();
  if (!data) return <Loading error={error} />;
  const l = data.books;
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
                  <AmountCells values={[p.raised, p.committed, p.claimed, p.refunded]} token={p.terms.token} />
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
              <tr key={o.official}>
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
}
