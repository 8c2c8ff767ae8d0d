import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// No telemetry, in builds started from here too (scripts/setup.sh also sets it).
process.env.NEXT_TELEMETRY_DISABLED = "1";

// Messages are precompiled at build time, so the ICU parser stays out of the browser bundle.
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./i18n/request.ts",
  experimental: { messages: { path: "./messages", format: "json", locales: "infer", precompile: true } },
});

const config: NextConfig = {
  reactStrictMode: true,
  // Each devnet port bakes its own RPC URL into its build, so each has its own folder
  // (scripts/devnet/web.ts) and `npm start` and the browser tests never rebuild because of each other.
  distDir: process.env.PRECISIONAID_NEXT_DIR ?? ".next",
  poweredByHeader: false,
  // ANALYZE=1 next build: source maps to see what each chunk is made of (never in normal builds).
  productionBrowserSourceMaps: process.env.ANALYZE === "1",
  // The dApp type-checks only its own files (tsconfig.web.json); Hardhat tests and scripts have their own check.
  typescript: { tsconfigPath: "tsconfig.web.json" },
  // The CSP (with a per-request nonce) is set in proxy.ts; these hold for every response, static files included.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

export default withNextIntl(config);
