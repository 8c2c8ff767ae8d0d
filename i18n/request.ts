/**
 * next-intl without locale-prefixed routes: the locale comes from the NEXT_LOCALE cookie (set by the
 * language switch, or by ?lang= on a shared link via proxy.ts), else from Accept-Language. The time zone
 * comes from the browser (the PRECISIONAID_TZ cookie, set by components/TimeZoneCookie.tsx), else the
 * deployment's default (PRECISIONAID_TIME_ZONE, else Asia/Shanghai): times are shown in it with the zone
 * named, and the chain's UTC in a tooltip (lib/format/time.ts).
 */
import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, isLocale, negotiateLocale } from "./locales.ts";
import { TIME_ZONE_COOKIE, resolveTimeZone } from "../lib/format/time.ts";

const decodeCookie = (v: string | undefined) => {
  try {
    return v === undefined ? undefined : decodeURIComponent(v);
  } catch {
    return undefined;
  }
};

export default getRequestConfig(async () => {
  const jar = await cookies();
  const fromCookie = jar.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(fromCookie) ? fromCookie : negotiateLocale((await headers()).get("accept-language"));
  return {
    locale,
    timeZone: resolveTimeZone(decodeCookie(jar.get(TIME_ZONE_COOKIE)?.value), process.env.PRECISIONAID_TIME_ZONE),
    messages: (await import(`../messages/${locale}.json`)).default,
  };
});
