/**
 * Per-request Content Security Policy with a nonce (Next applies it to its own scripts), no framing
 * (so nobody can overlay our sign buttons), and connect-src limited to ourselves and the RPC endpoints
 * the dApp is configured for. `?lang=zh-CN` on a shared link (a beneficiary's QR code) sets the language.
 */
import { NextResponse, type NextRequest } from "next/server";
import { LOCALE_COOKIE, isLocale } from "./i18n/locales.ts";

function origin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function proxy(request: NextRequest) {
  const lang = request.nextUrl.searchParams.get("lang");
  if (isLocale(lang)) {
    const url = request.nextUrl.clone();
    url.searchParams.delete("lang");
    const res = NextResponse.redirect(url);
    res.cookies.set(LOCALE_COOKIE, lang, { path: "/", sameSite: "lax", maxAge: 60 * 60 * 24 * 365 });
    return res;
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV === "development";
  const rpcs = [
    origin(process.env.NEXT_PUBLIC_RPC_URL || "http://127.0.0.1:8545"),
    origin(process.env.NEXT_PUBLIC_SEPOLIA_RPC_URL),
    origin(process.env.NEXT_PUBLIC_BASE_SEPOLIA_RPC_URL),
  ].filter(Boolean);
  // WalletConnect (only when a project id is configured): its relay, RPC, verify frame, and the QR
  // modal's wallet list, images and fonts.
  const wc = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID?.trim()
    ? {
        connect: " wss://relay.walletconnect.org wss://relay.walletconnect.com https://rpc.walletconnect.org https://rpc.walletconnect.com https://pulse.walletconnect.org https://api.web3modal.org",
        img: " https://api.web3modal.org https://imagedelivery.net",
        font: " https://fonts.reown.com",
        frame: "frame-src https://verify.walletconnect.org https://verify.walletconnect.com",
      }
    : { connect: "", img: "", font: "", frame: "" };
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // React and recharts set style attributes (positions, sizes); attributes cannot carry a nonce.
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' blob: data:${wc.img}`,
    `font-src 'self'${wc.font}`,
    `connect-src 'self' ${rpcs.join(" ")}${wc.connect}${dev ? " ws:" : ""}`,
    ...(wc.frame ? [wc.frame] : []),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // A route's not-found page names what was asked for ("There is no project 99"): it gets no params.
  requestHeaders.set("x-pathname", request.nextUrl.pathname);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
