/**
 * Times: the one formatter of times for people (every page, island and error sentence of the dApp) and
 * the one reader of times people write (parseTime below).
 *
 * The chain keeps UTC; people live in a zone. A page shows a time in the viewer's zone (the browser's own,
 * from a cookie it sets, else the deployment's default zone: the demo's households are in Guizhou, China
 * Standard Time), names the zone beside it ("北京时间", "UTC+8"), and keeps the chain's UTC in the
 * element's title. CLIs and the audit keep UTC (ISO 8601).
 */

/** The zone pages use until the browser names its own (PRECISIONAID_TIME_ZONE overrides it per deployment). */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

/** The cookie the browser sets to its own zone (Intl.DateTimeFormat().resolvedOptions().timeZone). */
export const TIME_ZONE_COOKIE = "PRECISIONAID_TZ";

/** An IANA zone this runtime knows ("Asia/Shanghai", "UTC"); anything else is not a zone. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== "string" || zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone of a request: the browser's (cookie) when it is a real zone, else the deployment's default. */
export function resolveTimeZone(fromCookie: string | undefined, configured: string | undefined = undefined): string {
  if (isTimeZone(fromCookie)) return fromCookie;
  if (isTimeZone(configured)) return configured;
  return DEFAULT_TIME_ZONE;
}

/** Zones that keep China Standard Time, which Chinese readers call 北京时间. */
const CHINA_STANDARD_TIME = new Set(["Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"]);

/**
 * The zone's name as shown beside a time: "北京时间" for China Standard Time in Chinese, otherwise its
 * offset at that moment ("UTC", "UTC+8", "UTC-5", "UTC+5:30"), which every reader can check.
 */
export function zoneLabel(zone: string, locale: string, at: number = Date.now() / 1000): string {
  if (CHINA_STANDARD_TIME.has(zone) && locale.toLowerCase().startsWith("zh")) return "北京时间";
  const name = new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "shortOffset" }).formatToParts(new Date(at * 1000)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const offset = name.replace(/^GMT/, "");
  return offset === "" || offset === "+0" ? "UTC" : `UTC${offset}`;
}

/** "2026-12-21 23:15 UTC": the chain's own time, for a title (tooltip), the audit and logs. */
export function formatUtc(seconds: number | bigint): string {
  const n = Number(seconds);
  if (!n) return "—";
  return `${new Date(n * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export interface TimeFormatter {
  /** A date and time in the zone, with the zone named: "2026年12月22日 07:15 北京时间". "—" for 0. */
  (seconds: number | bigint): string;
  /** The date alone, in the zone: "2026年12月22日". */
  date(seconds: number | bigint): string;
  /** The chain's UTC, for the title beside a time. */
  utc(seconds: number | bigint): string;
  zone: string;
  locale: string;
}

/** Every time a page shows goes through one of these, made for the viewer's locale and zone (hooks/useTime.ts). */
export function timeFormatter(locale: string, zone: string): TimeFormatter {
  const tz = isTimeZone(zone) ? zone : DEFAULT_TIME_ZONE;
  const dateTime = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: tz });
  const dateOnly = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: tz });
  const f = ((seconds: number | bigint) => {
    const n = Number(seconds);
    if (!n) return "—";
    return `${dateTime.format(new Date(n * 1000))} ${zoneLabel(tz, locale, n)}`;
  }) as TimeFormatter;
  f.date = (seconds) => {
    const n = Number(seconds);
    return n ? dateOnly.format(new Date(n * 1000)) : "—";
  };
  f.utc = formatUtc;
  f.zone = tz;
  f.locale = locale;
  return f;
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
