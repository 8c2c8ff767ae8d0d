/** The time formatter of the request's locale and zone, for async server components (hooks/useTime.ts for the rest). */
import { getLocale, getTimeZone } from "next-intl/server";
import { timeFormatter, type TimeFormatter } from "../format/time.ts";

export async function getTime(): Promise<TimeFormatter> {
  return timeFormatter(await getLocale(), await getTimeZone());
}
