"use client";
import { useTranslations } from "next-intl";
import type { ProjectBook } from "@/lib/escrow/events";
import { bytes32ToText, parseMetadata } from "@/lib/format/text";
import { percent } from "@/lib/format/amount";
import { Amount } from "./Amount";

export function projectTitle(p: ProjectBook): string | undefined {
  return parseMetadata(p.terms.metadataURI)?.title;
}

/** "#4 Danxi school meals", as pages and confirmations name a project. */
export function useProjectName(p: ProjectBook): string {
  const t = useTranslations("project");
  const title = projectTitle(p);
  return title ? `#${p.projectId} ${title}` : t("untitled", { id: String(p.projectId) });
}

export function ProjectName({ p }: { p: ProjectBook }) {
  return <>{useProjectName(p)}</>;
}

export function CategoryLabel({ value }: { value: `0x${string}` }) {
  const t = useTranslations("categories");
  const text = bytes32ToText(value);
  return <>{t.has(text) ? t(text) : text}</>;
}

export function StatusBadge({ status, kind = "project" }: { status: string; kind?: "project" | "enrolment" }) {
  const t = useTranslations("status");
  return <span className={`badge ${status}`}>{t(`${kind}.${status}`)}</span>;
}

/** Raised, and how much of it is claimed, committed (owed, not yet claimed) and refunded. */
export function ProjectProgress({ p }: { p: ProjectBook }) {
  const t = useTranslations("progress");
  const token = p.terms.token;
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
            <Amount value={p.raised} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>
            <i className="committed" aria-hidden /> {t("committed")}
          </dt>
          <dd>
            <Amount value={p.committed} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>{t("claimed")}</dt>
          <dd>
            <Amount value={p.claimed} token={token} />
          </dd>
        </div>
        <div className="stat">
          <dt>{t("refunded")}</dt>
          <dd>
            <Amount value={p.refunded} token={token} />
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
