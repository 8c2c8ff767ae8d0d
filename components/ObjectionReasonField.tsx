"use client";
/**
 * The reason field of both objection forms: the text, the sentence that it is public and must carry no
 * personal data (in the user's language), and why it was refused, if it was (hooks/useObjectionReason).
 */
import { useTranslations } from "next-intl";
import type { useObjectionReason } from "@/hooks/useObjectionReason";

export function ObjectionReasonField({ id, label, reason, extraHelp }: { id: string; label: string; reason: ReturnType<typeof useObjectionReason>; extraHelp?: string }) {
  const t = useTranslations("objectionText");
  return (
    <>
      <label className="field" htmlFor={id}>
        {label}
      </label>
      <textarea id={id} value={reason.text} onChange={(e) => reason.setText(e.target.value)} aria-describedby={`${id}-public ${id}-problem`} aria-invalid={!!reason.problem} />
      <p id={`${id}-public`} className="small notice" data-testid="objection-public-notice">
        {t("publicNotice")}
        {extraHelp && ` ${extraHelp}`}
      </p>
      <p id={`${id}-problem`} className="field-error" role="alert" data-testid="objection-text-problem" hidden={!reason.problem}>
        {reason.problem}
      </p>
      {reason.publishing && (
        <p className="pending small" role="status">
          {t("saving")}
        </p>
      )}
    </>
  );
}
