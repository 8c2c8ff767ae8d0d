/**
 * What the programme's pages share: the listed programme of the route's address (or, instead, what the
 * page shows: a sentence when the chain cannot be read or no factory is deployed, HTTP 404 for an
 * address the factory does not list), and the 404 page's warning not to send money to it.
 */
import type { ReactElement } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { isAddress, type Address } from "viem";
import { localMetadata, shortHex } from "@/lib/format/text";
import { loadProgramme } from "@/lib/server/roster";

/** A listed programme with its token (loadProgramme's found case). */
type Found = Extract<Awaited<ReturnType<typeof loadProgramme>>, { token: unknown }>;

export async function listedProgramme(raw: string): Promise<{ data: Found; p: Found["programme"]; title: string } | { instead: ReactElement }> {
  const t = await getTranslations("roster");
  if (!isAddress(raw)) notFound();
  let data: Awaited<ReturnType<typeof loadProgramme>>;
  try {
    data = await loadProgramme(raw as Address);
  } catch {
    return {
      instead: (
        <p className="error" role="alert">
          {t("readFailed")}
        </p>
      ),
    };
  }
  if (!data.deployed) return { instead: <p className="error">{t("noFactory")}</p> };
  // Not a programme of our factory: HTTP 404, with the warning (./not-found.tsx).
  if (!data.programme || !data.token) notFound();
  const p = data.programme;
  // The title in the viewer's language when the programme's metadata carries one (issue 9, item 8).
  const title = localMetadata(p.metadataURI, await getLocale())?.title ?? t("untitled", { address: shortHex(p.address) });
  return { data: { ...data, programme: p, token: data.token }, p, title };
}

/** The 404 body for `raw`, the address segment of the URL (not-found pages get no params). */
export async function NotListed({ raw }: { raw: string }) {
  const t = await getTranslations("roster");
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
