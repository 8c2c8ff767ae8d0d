import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { loadEscrowSnapshot } from "@/lib/server/escrowSnapshot";
import { ProjectList } from "./ProjectList";

export default async function Home() {
  const t = await getTranslations("home");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <p>
        <Link href="/roster">{t("rosterLink")}</Link>
      </p>
      <ProjectList initial={await loadEscrowSnapshot()} />
    </>
  );
}
