import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { localMetadata, shortHex } from "@/lib/format/text";
import { RegionLabel } from "@/components/ProjectBits";
import { getTime } from "@/lib/server/time";
import { Time } from "@/components/Time";
import { rosterStage, takesDonations } from "@/lib/roster/status";
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
  const time = await getTime();
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
            const title = localMetadata(p.metadataURI, locale)?.title;
            const token = data.tokens[p.token];
            return (
              <article className="card" key={p.address} data-testid={`roster-card-${p.id}`}>
                <h2>
                  <Link href={`/roster/${p.address}`}>{title ?? t("untitled", { address: shortHex(p.address) })}</Link>
                </h2>
                <p className="small">
                  <span className={`badge ${p.status}`} data-testid="roster-card-phase">
                    {t(`phase.${rosterStage(p, data.now)}`)}
                  </span>{" "}
                  · <RegionLabel value={p.region} />
                </p>
                {takesDonations(p) && (
                  <p className="small" title={time.utc(p.fundingDeadline)} data-testid="roster-card-donations">
                    {t("takingDonations", { time: time(p.fundingDeadline) })}
                  </p>
                )}
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
                {p.claimsOpenAt > 0 && <p className="small muted" title={time.utc(p.claimsOpenAt)}>{t("claimsOpenAt", { time: time(p.claimsOpenAt) })}</p>}
              </article>
            );
          })}
        </div>
      )}
    </>
  );
}
