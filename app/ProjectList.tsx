"use client";
import { useMemo, useState } from "react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useReadChain, useEscrowBooks, type InitialEscrowBooks } from "@/hooks/useChainData";
import { projectStatus } from "@/lib/escrow/status";
import { bytes32ToText } from "@/lib/format/text";
import { formatTime } from "@/lib/format/time";
import { PROJECT_STATUSES } from "@/lib/escrow/status";
import { CategoryLabel, Loading, ProjectName, ProjectProgress, StatusBadge } from "@/components/ProjectBits";

export function ProjectList({ initial }: { initial?: InitialEscrowBooks }) {
  const t = useTranslations("home");
  const ts = useTranslations("status");
  const locale = useLocale();
  const { deployment } = useReadChain();
  const { data, error } = useEscrowBooks(initial);
  const [category, setCategory] = useState("");
  const [region, setRegion] = useState("");
  const [status, setStatus] = useState("");
  const projects = useMemo(() => (data ? [...data.books.projects.values()] : []), [data]);
  const categories = [...new Set(projects.map((p) => p.terms.category))];
  const regions = [...new Set(projects.map((p) => p.terms.region))];
  if (!deployment) return <p className="error">{t("noDeployment")}</p>;
  if (!data) return <Loading error={error} />;
  const shown = projects.filter(
    (p) =>
      (!category || p.terms.category === category) &&
      (!region || p.terms.region === region) &&
      (!status || projectStatus(p, data.now) === status),
  );
  return (
    <>
      <div className="filters card" role="search">
        <label className="field">
          {t("category")}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t("all")}</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {bytes32ToText(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t("region")}
          <select value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">{t("all")}</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {bytes32ToText(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t("status")}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t("all")}</option>
            {PROJECT_STATUSES.slice(1).map((s) => (
              <option key={s} value={s}>
                {ts(`project.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">{t("chainTime", { time: formatTime(data.now, locale) })}</p>
      {shown.length === 0 && <p>{t("none")}</p>}
      <div className="grid">
        {shown.map((p) => (
          <article className="card" key={String(p.projectId)} data-testid={`project-card-${p.projectId}`}>
            <h2>
              <Link href={`/projects/${p.projectId}`}>
                <ProjectName p={p} />
              </Link>
            </h2>
            <p className="small">
              <StatusBadge status={projectStatus(p, data.now)} /> · <CategoryLabel value={p.terms.category} /> · {bytes32ToText(p.terms.region)}
            </p>
            <ProjectProgress p={p} />
            <p className="small muted">
              {t("households", { n: [...p.households.values()].filter((b) => b.status === "Enrolled" || b.status === "Objected").length })} ·{" "}
              {t("donors", { n: p.donors.size })}
            </p>
          </article>
        ))}
      </div>
    </>
  );
}
