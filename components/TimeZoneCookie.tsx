"use client";
/**
 * Tells the server the browser's time zone (a cookie), so server-rendered times are in the viewer's zone;
 * re-renders the page once when the zone it was rendered in was not the browser's. Renders nothing.
 */
import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { TIME_ZONE_COOKIE } from "@/lib/format/time";

export function TimeZoneCookie() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    const current = document.cookie.split("; ").find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`))?.slice(TIME_ZONE_COOKIE.length + 1);
    if (current === encodeURIComponent(zone)) return; // told before: the server uses it (or cannot, and says which zone it used)
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    if (rendered !== zone) router.refresh();
  }, [rendered, router]);
  return null;
}
