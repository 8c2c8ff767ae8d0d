import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { State } from "wagmi";
import { HeaderWalletButton } from "./wallet/islands";
import { LocaleSwitch } from "./LocaleSwitch";

export async function Header({ initialState }: { initialState?: State }) {
  const t = await getTranslations("nav");
  const links = [
    ["/", t("projects")],
    ["/roster", t("roster")],
    ["/donor", t("donor")],
    ["/official", t("official")],
    ["/reviewer", t("reviewer")],
    ["/manager", t("manager")],
    ["/beneficiary", t("beneficiary")],
    ["/evaluation", t("evaluation")],
    ["/audit", t("audit")],
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
          {links.map(([href, label]) => (
            <li key={href}>
              <Link href={href}>{label}</Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
