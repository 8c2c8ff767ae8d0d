import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { State } from "wagmi";
import { HeaderWalletButton } from "./wallet/islands";
import { LocaleSwitch } from "./LocaleSwitch";

/** A label that a phone shows short ("Rosters") and a wider screen in full ("Roster programmes"). */
function Short({ long, short }: { long: string; short: string }) {
  return (
    <>
      <span className="long">{long}</span>
      <span className="short">{short}</span>
    </>
  );
}

export async function Header({ initialState }: { initialState?: State }) {
  const t = await getTranslations("nav");
  // What everyone uses first (households above all), then the role pages: on a phone those fold behind
  // "More" (a <details> toggle, no JavaScript), so a household's screen is not a third navigation.
  const links = [
    ["/", t("projects"), "main"],
    ["/roster", <Short key="r" long={t("roster")} short={t("rosterShort")} />, "main"],
    ["/beneficiary", t("beneficiary"), "main"],
    ["/donor", t("donor"), "role"],
    ["/official", t("official"), "role"],
    ["/reviewer", t("reviewer"), "role"],
    ["/manager", t("manager"), "role"],
    ["/evaluation", t("evaluation"), "role"],
    ["/audit", t("audit"), "role"],
  ] as const;
  return (
    <header className="header">
      <div className="header-top">
        <Link href="/" className="brand">
          {t("brand")}
        </Link>
        <div className="header-actions">
          <LocaleSwitch />
          <HeaderWalletButton part="button" initialState={initialState} />
        </div>
      </div>
      <nav aria-label={t("label")}>
        <ul className="nav">
          {links.map(([href, label, kind]) => (
            <li key={href} className={kind === "role" ? "nav-role" : undefined}>
              <Link href={href}>{label}</Link>
            </li>
          ))}
          <li className="nav-more-toggle">
            <details className="nav-more">
              <summary>{t("more")}</summary>
            </details>
          </li>
        </ul>
      </nav>
    </header>
  );
}
