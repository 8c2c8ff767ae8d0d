import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// No telemetry, in builds started from here too (scripts/setup.sh also sets it).
process.env.NEXT_TELEMETRY_DISABLED = "1";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
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
