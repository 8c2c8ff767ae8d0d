/**
 * next-intl without locale-prefixed routes: the locale comes from the NEXT_LOCALE cookie (set by the
 * language switch, or by ?lang= on a shared link via proxy.ts), else from Accept-Language. Times are
 * shown in UTC everywhere so a date means the same thing to everyone reading it.
 */
import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, isLocale, negotiateLocale } from "./locales.ts";

export default getRequestConfig(async () => {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(fromCookie) ? fromCookie : negotiateLocale((await headers()).get("accept-language"));
  return {
    locale,
    timeZone: "UTC",
    messages: (await import(`../messages/${locale}.json`)).default,
  };
});
