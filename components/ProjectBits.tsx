/**
 * A project's name, status, category and progress, as every page shows them. No "use client": server
 * pages render these on the server; an island that imports one bundles it.
 */
import { useLocale, useTranslations } from "next-intl";
import type { ProjectBook } from "@/lib/escrow/events";
import type { TokenInfo } from "@/lib/chain/tokens";
import { bytes32ToText, localMetadata } from "@/lib/format/text";
import { regionName } from "@/lib/registry/catalogue";
import { percent } from "@/lib/format/amount";
import { TokenAmount } from "./TokenAmount";

/** The project's title in the locale (its metadata's i18n entry where it has one), if it has a title. */
export function projectTitle(p: Pick<ProjectBook, "terms">, locale: string): string | undefined {
  return localMetadata(p.terms.metadataURI, locale)?.title;
}

/** "#4 Danxi school meals" / "#4 丹溪村学生营养餐", as pages and confirmations name a project. */
export function useProjectName(p: Pick<ProjectBook, "terms" | "projectId">): string {
  const t = useTranslations("project");
  const title = projectTitle(p, useLocale());
  return title ? `#${p.projectId} ${title}` : t("untitled", { id: String(p.projectId) });
}

export function ProjectName({ p }: { p: Pick<ProjectBook, "terms" | "projectId"> }) {
  return <>{useProjectName(p)}</>;
}

export function CategoryLabel({ value }: { value: `0x${string}` }) {
  const t = useTranslations("categories");
  const text = bytes32ToText(value);
  return <>{t.has(text) ? t(text) : text}</>;
}

/** A region code by its name in the locale (the catalogue's codes), or as written. */
export function RegionLabel({ value }: { value: `0x${string}` }) {
  const t = useTranslations("regions");
  return <>{regionName(bytes32ToText(value), (code) => t(code))}</>;
}

export function StatusBadge({ status, kind = "project" }: { status: string; kind?: "project" | "enrolment" }) {
  const t = useTranslations("status");
  return <span className={`badge ${status}`}>{t(`${kind}.${status}`)}</span>;
}

/** Raised, and how much of it is claimed, committed (owed, not yet claimed) and refunded. */
export function ProjectProgress({ p, token }: { p: Pick<ProjectBook, "raised" | "committed" | "claimed" | "refunded">; token: TokenInfo | undefined }) {
  const t = useTranslations("progress");
  const owed = p.committed > p.claimed ? p.committed - p.claimed : 0n;
  const w = (x: bigint) => `${percent(x, p.raised)}%`;
  return (
    <div>
      <div className="progress" role="img" aria-label={t("aria", { claimed: percent(p.claimed, p.raised), committed: percent(p.committed, p.raised), refunded: percent(p.refunded, p.raised) })}>
        <span className="claimed" style={{ width: w(p.claimed) }} />
        <span className="committed" style={{ width: w(owed) }} />
        <span className="refunded" style={{ width: w(p.refunded) }} />
      </div>
      <dl className="stats">
        <div className="stat">
          <dt>{t("raised")}</dt>
          <dd data-testid="raised">
            <TokenAmount value={p.raised} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>
            <i className="committed" aria-hidden /> {t("committed")}
          </dt>
          <dd>
            <TokenAmount value={p.committed} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>{t("claimed")}</dt>
          <dd>
            <TokenAmount value={p.claimed} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>{t("refunded")}</dt>
          <dd>
            <TokenAmount value={p.refunded} token={token} />
          </dd>
        </div>
      </dl>
    </div>
  );
}

export function Loading({ error }: { error?: unknown }) {
  const t = useTranslations("common");
  if (error) return <p className="error" role="alert">{t("loadFailed")}</p>;
  return <p className="muted" role="status">{t("loading")}</p>;
}
