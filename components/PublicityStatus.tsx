/**
 * A household's publicity window and objection, in one sentence, by the one rule (householdPublicity,
 * lib/escrow/status.ts): the project page and the household page show exactly this. Server or client.
 */
import { useTranslations } from "next-intl";
import type { HouseholdPublicity } from "@/lib/escrow/status";
import { useTime } from "@/hooks/useTime";

export function PublicityStatus({ publicity }: { publicity: HouseholdPublicity }) {
  const t = useTranslations("publicity");
  const time = useTime();
  const { window, objection, endsAt } = publicity;
  const key =
    objection === "pending"
      ? window === "open"
        ? "pendingOpen"
        : "pendingClosed"
      : objection === "upheld"
        ? "upheld"
        : window === "open"
          ? objection === "dismissed"
            ? "dismissedOpen"
            : "open"
          : "closed";
  return (
    <span title={time.utc(endsAt)} data-testid="publicity" data-window={window} data-objection={objection}>
      {t(key, { time: time(endsAt) })}
    </span>
  );
}
