import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { headers } from "next/headers";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { cookieToInitialState } from "wagmi";
import { getConfig } from "@/lib/wallet/wagmi";
import { Providers } from "./providers";
import { Header } from "@/components/Header";
import { HeaderWalletBanner } from "@/components/wallet/islands";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("app");
  return { title: t("title"), description: t("tagline") };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f5132" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const t = await getTranslations("app");
  const initialState = cookieToInitialState(getConfig(), (await headers()).get("cookie"));
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider>
          <Providers>
            <a className="skip" href="#main">
              {t("skip")}
            </a>
            <Header initialState={initialState} />
            <HeaderWalletBanner part="banner" />
            <main id="main" tabIndex={-1}>
              {children}
            </main>
            <footer className="footer">{t("footer")}</footer>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
