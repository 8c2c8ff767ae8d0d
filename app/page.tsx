/**
 * Every project, its money and its households, rendered on the server from the books
 * (lib/server/escrow.ts). The filters are a plain GET form (?category=&region=&status=), so they work
 * without any JavaScript.
 */
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { loadEscrow, tokenOf } from "@/lib/server/escrow";
import { PROJECT_STATUSES, projectStatus } from "@/lib/escrow/status";
import { bytes32ToText } from "@/lib/format/text";
import { getTime } from "@/lib/server/time";
import { Time } from "@/components/Time";
import { CategoryLabel, ProjectName, ProjectProgress, RegionLabel, StatusBadge } from "@/components/ProjectBits";
import { regionName } from "@/lib/registry/catalogue";

export const dynamic = "force-dynamic";

type Filters = { category?: string; region?: string; status?: string };

export default async function Home({ searchParams }: { searchParams: Promise<Filters> }) {
  const filters = await searchParams;
  const t = await getTranslations("home");
  const ts = await getTranslations("status");
  const tc = await getTranslations("common");
  const tcat = await getTranslations("categories");
  const treg = await getTranslations("regions");
  const locale = await getLocale();
  const time = await getTime();
  const read = await loadEscrow();
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <p>
        <Link href="/roster">{t("rosterLink")}</Link>
      </p>
      {!read.ok ? (
        <p className="error" role="alert">
          {read.reason === "noDeployment" ? t("noDeployment") : tc("loadFailed")}
        </p>
      ) : (
        (() => {
          const { books, now } = read.view;
          const projects = [...books.projects.values()];
          const categories = [...new Set(projects.map((p) => bytes32ToText(p.terms.category)))];
          const regions = [...new Set(projects.map((p) => bytes32ToText(p.terms.region)))];
          const shown = projects.filter(
            (p) =>
              (!filters.category || bytes32ToText(p.terms.category) === filters.category) &&
              (!filters.region || bytes32ToText(p.terms.region) === filters.region) &&
              (!filters.status || projectStatus(p, now) === filters.status),
          );
          return (
            <>
              <form className="filters card" role="search" method="get" action="/">
                <label className="field">
                  {t("category")}
                  <select name="category" defaultValue={filters.category ?? ""}>
                    <option value="">{t("all")}</option>
                    {categories.map((c) => (
                      <option key={c} value={c}>
                        {tcat.has(c) ? tcat(c) : c}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  {t("region")}
                  <select name="region" defaultValue={filters.region ?? ""}>
                    <option value="">{t("all")}</option>
                    {regions.map((r) => (
                      <option key={r} value={r}>
                        {regionName(r, (code) => treg(code))}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  {t("status")}
                  <select name="status" defaultValue={filters.status ?? ""}>
                    <option value="">{t("all")}</option>
                    {PROJECT_STATUSES.slice(1).map((s) => (
                      <option key={s} value={s}>
                        {ts(`project.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button className="btn secondary" type="submit">
                  {t("filter")}
                </button>
              </form>
              <p className="muted small" title={time.utc(now)} data-testid="chain-now">
                {t("chainTime", { time: time(now) })}
              </p>
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
                      <StatusBadge status={projectStatus(p, now)} /> · <CategoryLabel value={p.terms.category} /> · <RegionLabel value={p.terms.region} />
                    </p>
                    <ProjectProgress p={p} token={tokenOf(read.view, p.terms.token)} />
                    <p className="small muted">
                      {t("households", { n: [...p.households.values()].filter((b) => b.status === "Enrolled" || b.status === "Objected").length })} ·{" "}
                      {t("donors", { n: p.donors.size })}
                    </p>
                  </article>
                ))}
              </div>
            </>
          );
        })()
      )}
    </>
  );
}
