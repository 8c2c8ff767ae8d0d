import { getTranslations } from "next-intl/server";
import { AuditView } from "./AuditView";

export default async function AuditPage() {
  const t = await getTranslations("audit");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <AuditView />
    </>
  );
}
