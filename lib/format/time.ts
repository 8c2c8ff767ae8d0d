/**
 * Times: unix seconds to a date-time string for a locale.
 */

/** Unix seconds to a date-time string in UTC for the locale. */
export function formatTime(seconds: number | bigint, locale = "en", withTime = true): string {
  const n = Number(seconds);
  if (!n) return "—";
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}),
    timeZone: "UTC",
  }).format(new Date(n * 1000));
}
