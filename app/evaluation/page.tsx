import { getTranslations } from "next-intl/server";
import { EvaluationView } from "./EvaluationView";

export default async function EvaluationPage({ searchParams }: { searchParams: Promise<{ project?: string; official?: string }> }) {
  const { project, official } = await searchParams;
  const t = await getTranslations("evaluation");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <EvaluationView project={project} official={official} />
    </>
  );
}
