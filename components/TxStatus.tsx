"use client";
import { useLocale, useTranslations } from "next-intl";
import type { WriteState } from "@/hooks/useWrite";
import { errorParams, roleKey, type WebError } from "@/lib/errors/decode";
import { enrolmentStatusName, projectStatusName } from "@/lib/escrow/status";
import { formatTime } from "@/lib/format/time";
import { shortHex } from "@/lib/format/text";
import { txLink } from "@/lib/chain/deployments";

/** Turns a decoded error into a sentence in the user's language. */
export function useErrorSentence() {
  const t = useTranslations();
  const locale = useLocale();
  return (e: WebError): string => {
    switch (e.kind) {
      case "rejected":
        return t("tx.rejected");
      case "insufficientFunds":
        return t("tx.insufficientFunds");
      case "network":
        return t("tx.network");
      case "wrongNetwork":
        return t("tx.wrongNetwork");
      case "unknown":
        return t("tx.unknown", { message: e.message.slice(0, 200) });
      case "revert": {
        const params = errorParams(e.name, e.args, {
          time: (s) => formatTime(s, locale),
          short: (h) => shortHex(h),
          projectStatus: (v) => t(`status.project.${projectStatusName(v)}`),
          enrolmentStatus: (v) => t(`status.enrolment.${enrolmentStatusName(v)}`),
          objectionStatus: (v) => t(`status.objection.${["None", "Pending", "Upheld"][v] ?? "None"}`),
          role: (r) => {
            const k = roleKey(r);
            return k ? t(`connect.roles.${k}`) : shortHex(r);
          },
        });
        const key = `errors.${e.name}`;
        return t.has(key) ? t(key, params) : t("tx.unknownError", { name: e.name });
      }
    }
  };
}

export function TxStatus({ state }: { state: WriteState }) {
  const t = useTranslations("tx");
  const sentence = useErrorSentence();
  if (state.status === "idle") return null;
  if (state.status === "rejected")
    return (
      <p className="notice" role="status" data-testid="tx-status" data-status="rejected">
        {t("rejected")}
      </p>
    );
  if (state.status === "error")
    return (
      <p className="error" role="alert" data-testid="tx-status" data-status="error">
        {sentence(state.error)}
      </p>
    );
  if (state.status === "simulating" || state.status === "signing")
    return (
      <p className="pending" role="status" data-testid="tx-status" data-status={state.status}>
        {t(state.status)}
      </p>
    );
  const link = txLink(state.chainId, state.hash);
  return (
    <p className={state.status === "confirmed" ? "success" : "pending"} role="status" data-testid="tx-status" data-status={state.status}>
      {state.status === "confirmed" && state.done ? t("confirmedDone", { done: state.done }) : t(state.status)}{" "}
      {link ? (
        <a href={link} target="_blank" rel="noreferrer" className="mono">
          {shortHex(state.hash, 10, 8)}
        </a>
      ) : (
        <span className="mono" title={state.hash}>
          {shortHex(state.hash, 10, 8)}
        </span>
      )}
    </p>
  );
}
