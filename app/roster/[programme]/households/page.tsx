import Link from "next/link";
import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { shortHex } from "@/lib/format/text";
import { getTime } from "@/lib/server/time";
import { rosterPhase } from "@/lib/roster/status";
import { amountText } from "@/lib/server/roster";
import { householdPage } from "@/lib/server/rosterHouseholds";
import { selfOrigin } from "@/lib/server/origin";
import { RosterObjectionIsland } from "../islands";
import { listedProgramme } from "../listed";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("rosterHouseholds");
  return { title: t("title") };
}

type Search = { q?: string; village?: string; page?: string; object?: string };

/**
 * A roster's households for villagers (issue 9, item 4): search by roster number, pseudonym or village,
 * one page at a time from the published household list (lib/server/rosterHouseholds.ts), and "Object"
 * on each real household while the publicity window is open. A plain GET form: it works before (and
 * without) any JavaScript; only the objection form is a wallet island.
 */
export default async function RosterHouseholdsPage({ params, searchParams }: { params: Promise<{ programme: string }>; searchParams: Promise<Search> }) {
  const { programme: raw } = await params;
  const search = await searchParams;
  const t = await getTranslations("rosterHouseholds");
  const locale = await getLocale();
  const time = await getTime();
  const listed = await listedProgramme(raw);
  if ("instead" in listed) return listed.instead;
  const { data, p, title } = listed;
  const windowOpen = rosterPhase(p, p.now) === "PublicityWindow";
  const q = (search.q ?? "").slice(0, 100);
  const village = search.village ?? "";
  const pageNumber = /^\d{1,6}$/.test(search.page ?? "") ? Number(search.page) : 0;
  const list = await householdPage(p, { q, village: village || undefined, page: pageNumber }, selfOrigin(await headers()));
  const base = `/roster/${p.address}/households`;
  const href = (extra: Record<string, string | number | undefined>) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries({ q: q || undefined, village: village || undefined, ...extra })) if (v !== undefined && v !== "") qs.set(k, String(v));
    const s = qs.toString();
    return s ? `${base}?${s}` : base;
  };
  const picked = search.object !== undefined && /^\d{1,78}$/.test(search.object) && list.available ? list.rows.find((r) => r.index === search.object && r.verified) : undefined;
  const name = (r: { index: string; pseudonym: string; village: string }) =>
    r.village ? t("rowName", { index: r.index, name: r.pseudonym, village: r.village }) : t("rowNameNoVillage", { index: r.index, name: r.pseudonym });
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">
        <Link href={`/roster/${p.address}`}>{title}</Link>
      </p>
      <p className={windowOpen ? "notice" : "muted"} data-testid="households-window">
        {windowOpen ? t("windowOpen", { time: time(p.claimsOpenAt) }) : p.claimsOpenAt > 0 ? t("windowClosed", { time: time(p.claimsOpenAt) }) : t("windowNotYet")}
      </p>

      {!list.available ? (
        <p className="notice" data-testid="households-unavailable">
          {t(`unavailable.${list.reason}`)}
        </p>
      ) : (
        <>
          <form className="card" role="search" method="get" action={base} data-testid="households-search">
            <div className="row">
              <label className="field">
                {t("search")}
                <input name="q" defaultValue={q} maxLength={100} autoComplete="off" placeholder={t("searchPlaceholder")} />
              </label>
              {list.villages.length > 0 && (
                <label className="field">
                  {t("village")}
                  <select name="village" defaultValue={village}>
                    <option value="">{t("allVillages")}</option>
                    {list.villages.map((v) => (
                      <option key={v.village} value={v.village}>
                        {t("villageOption", { village: v.village, n: v.households })}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <button className="btn secondary" type="submit">
                {t("searchSubmit")}
              </button>
            </div>
          </form>

          {picked && windowOpen && (
            <RosterObjectionIsland programme={p.address} leafCount={p.leafCount} index={picked.index} label={name(picked)} />
          )}

          <p role="status" data-testid="households-count">
            {list.total === 0 ? t("noMatch") : t("count", { n: list.total, from: list.page * list.pageSize + 1, to: list.page * list.pageSize + list.rows.length })}
          </p>
          <ul className="feed" data-testid="households-list">
            {list.rows.map((r) => (
              <li key={r.index} data-testid={`household-row-${r.index}`} className="household-row">
                <div>
                  <strong>{name(r)}</strong>
                  <span className="small muted"> · {t("perTranche", { amount: amountText(BigInt(r.amount), data.token, locale) })}</span>
                </div>
                <div className="small muted mono">{shortHex(r.beneficiary)}</div>
                {!r.verified && <p className="error small">{t("unverified")}</p>}
                {r.objection && <span className={`badge ${r.objection === "Upheld" ? "bad" : r.objection === "Dismissed" ? "ok" : "Objected"}`}>{t(`objection.${r.objection}`)}</span>}
                {windowOpen && r.verified && !r.objection && (
                  <Link className="btn small secondary" href={`${href({ page: list.page || undefined, object: r.index })}#object`} data-testid={`object-${r.index}`}>
                    {t("object")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
          {list.pages > 1 && (
            <nav className="row" aria-label={t("pages")}>
              {list.page > 0 && (
                <Link className="btn small secondary" href={href({ page: list.page - 1 || undefined })}>
                  {t("previous")}
                </Link>
              )}
              <span className="small">{t("pageOf", { page: list.page + 1, pages: list.pages })}</span>
              {list.page + 1 < list.pages && (
                <Link className="btn small secondary" href={href({ page: list.page + 1 })}>
                  {t("next")}
                </Link>
              )}
            </nav>
          )}
          <details className="small">
            <summary>{t("howChecked")}</summary>
            <p>{t("howCheckedText")}</p>
          </details>
        </>
      )}
    </>
  );
}
