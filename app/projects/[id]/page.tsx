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
  return <ProjectView id={id} initial={await loadEscrowSnapshot()} />;
}
