import Link from "next/link";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import { isAddress } from "viem";

/**
 * HTTP 404 for an address that is not a programme of this dApp's roster factory, or not an address at
 * all (page.tsx calls notFound()): with a warning not to send money to it.
 */
export default async function ProgrammeNotFound() {
  const t = await getTranslations("roster");
  const raw = decodeURIComponent(((await headers()).get("x-pathname") ?? "").split("/").pop() ?? "");
  return (
    <>
      <h1>{t("notListedTitle")}</h1>
      <p className="error" data-testid="not-listed">
        {isAddress(raw) ? t("notListed", { address: raw }) : t("notAnAddress", { text: raw.slice(0, 80) })}
      </p>
      <p>
        <Link href="/roster">{t("backToList")}</Link>
      </p>
    </>
  );
}
