import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";

/** Server-rendered heading and intro for a role page; the interactive part is a client child. */
export async function PageShell({ ns, children }: { ns: string; children: ReactNode }) {
  const t = await getTranslations(ns);
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      {children}
    </>
  );
}
