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

const UNIT: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60 };

/** "+10d", "+12h", "+1.5h": a time after the chain's current time. */
export const RELATIVE_TIME = /^\+([0-9]+(?:\.[0-9]+)?)([dhm])$/;
/** A date alone: midnight UTC, so the same file means the same thing in every time zone. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date and time with its zone (Z or +hh:mm): never read in the local zone of whoever runs the tool. */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** "7d", "12h", "30m": a duration. */
export const DURATION = /^([0-9]+(?:\.[0-9]+)?)([dhm])$/;

/**
 * The one reader of times people write (CSV expiries, project specs, programme terms, the create-project
 * form): unix seconds (a number or digits), an ISO date (midnight UTC), an ISO date-time with its zone,
 * or, when `now` is given, "+<n>d|h|m" after it. Returns unix seconds, or undefined when the text is
 * none of these.
 */
export function parseTime(value: string | number, o: { now?: number } = {}): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const rel = RELATIVE_TIME.exec(t);
  if (rel) return o.now === undefined ? undefined : o.now + Math.round(Number(rel[1]) * UNIT[rel[2]]);
  const iso = ISO_DATE.test(t) ? `${t}T00:00:00Z` : ISO_DATE_TIME.test(t) ? t : undefined;
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** Seconds, or "<n>d|h|m", as seconds; undefined when it is neither. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const m = DURATION.exec(value.trim());
  return m ? Math.round(Number(m[1]) * UNIT[m[2]]) : undefined;
}
