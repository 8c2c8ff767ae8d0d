/**
 * The time formatter of the viewer's locale and zone (lib/format/time.ts). The zone comes from next-intl's
 * request config (i18n/request.ts: the browser's zone cookie, else the deployment's default), so server
 * components and islands format a time the same way. Works in server components that are not async;
 * async ones use getTime() (lib/server/time.ts).
 */
import { useLocale, useTimeZone } from "next-intl";
import { DEFAULT_TIME_ZONE, timeFormatter, type TimeFormatter } from "@/lib/format/time";

export function useTime(): TimeFormatter {
  return timeFormatter(useLocale(), useTimeZone() ?? DEFAULT_TIME_ZONE);
}
