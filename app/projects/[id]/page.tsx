import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { loadEscrowSnapshot } from "@/lib/server/escrowSnapshot";
import { ProjectView } from "./ProjectView";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const t = await getTranslations("project");
  return { title: t("metaTitle", { id }) };
}

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const initial = await loadEscrowSnapshot();
  // An id the chain does not know is a 404 (with the page's sentence, ./not-found.tsx); when the chain
  // cannot be read the client view says so instead, and retries.
  if (!/^[1-9][0-9]{0,18}$/.test(id) || (initial && !initial.snapshot.books.projects.has(id))) notFound();
  return <ProjectView id={id} initial={initial} />;
}
