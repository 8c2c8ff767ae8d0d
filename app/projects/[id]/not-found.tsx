import Link from "next/link";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";

/** HTTP 404 for a project the chain does not know (page.tsx calls notFound()). */
export default async function ProjectNotFound() {
  const t = await getTranslations("project");
  const tl = await getTranslations("home");
  const id = decodeURIComponent(((await headers()).get("x-pathname") ?? "").split("/").pop() ?? "").slice(0, 40);
  return (
    <>
      <p className="error" data-testid="project-not-found">
        {t("notFound", { id })}
      </p>
      <p>
        <Link href="/">{tl("title")}</Link>
      </p>
    </>
  );
}
