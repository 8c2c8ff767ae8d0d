import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { bytes32ToText, parseMetadata, shortHex } from "@/lib/format/text";
import { formatTime } from "@/lib/format/time";
import { rosterPhase } from "@/lib/roster/status";
import { amountText, loadProgrammes } from "@/lib/server/roster";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("roster");
  return { title: t("listTitle") };
}

export default async function RosterListPage() {
  const t = await getTranslations("roster");
  const ts = await getTranslations("status");
  const locale = await getLocale();
  let data: Awaited<ReturnType<typeof loadProgrammes>> | undefined;
  try {
    data = await loadProgrammes();
  } catch {
    data = undefined;
  }
  return (
    <>
      <h1>{t("listTitle")}</h1>
      <p className="muted">{t("listIntro")}</p>
      {!data && (
        <p className="error" role="alert">
          {t("readFailed")}
        </p>
      )}
      {data && !data.deployed && <p className="error">{t("noFactory")}</p>}
      {data?.deployed && data.programmes.length === 0 && <p>{t("noProgrammes")}</p>}
      {data?.deployed && (
        <div className="grid">
          {data.programmes.map((p) => {
            const title = parseMetadata(p.metadataURI)?.title;
            const token = data.tokens[p.token];
            return (
              <article className="card" key={p.address} data-testid={`roster-card-${p.id}`}>
                <h2>
                  <Link href={`/roster/${p.address}`}>{title ?? t("untitled", { address: shortHex(p.address) })}</Link>
                </h2>
                <p className="small">
                  <span className={`badge ${p.status}`}>{ts(`project.${p.status}`)}</span> · {bytes32ToText(p.region)} ·{" "}
                  <span data-testid="roster-card-phase">{t(`phase.${rosterPhase(p, data.now)}`)}</span>
                </p>
                <dl className="stats">
                  <div className="stat">
                    <dt>{t("households")}</dt>
                    <dd>{p.leafCount.toLocaleString(locale)}</dd>
                  </div>
                  <div className="stat">
                    <dt>{t("raised")}</dt>
                    <dd>{amountText(p.raised, token, locale)}</dd>
                  </div>
                  <div className="stat">
                    <dt>{t("held")}</dt>
                    <dd>{amountText(p.held, token, locale)}</dd>
                  </div>
                </dl>
                {p.claimsOpenAt > 0 && <p className="small muted">{t("claimsOpenAt", { time: formatTime(p.claimsOpenAt, locale) })}</p>}
              </article>
            );
          })}
        </div>
      )}
    </>
  );
}
