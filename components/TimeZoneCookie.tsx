"use client";
/**
 * Tells the server the browser's time zone (a cookie), so server-rendered times are in the viewer's zone;
 * re-renders the page when it was rendered in another zone (the first visit, or a navigation that left
 * before the cookie was set). At most once per page load: a zone the server cannot use (it falls back to
 * the deployment's) must not refresh forever. Renders nothing.
 */
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { TIME_ZONE_COOKIE } from "@/lib/format/time";

let refreshed = false;

export function TimeZoneCookie() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    const value = encodeURIComponent(zone);
    if (!document.cookie.split("; ").includes(`${TIME_ZONE_COOKIE}=${value}`)) {
      document.cookie = `${TIME_ZONE_COOKIE}=${value}; path=/; max-age=31536000; samesite=lax`;
    }
    if (rendered !== zone && !refreshed) {
      refreshed = true;
      router.refresh();
    }
  }, [rendered, router]);
  return null;
}
