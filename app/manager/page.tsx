/** The manager's page: the server reads what the create-project form needs; the form is a wallet island. */
import { getTranslations } from "next-intl/server";
import { loadManagerForm } from "@/lib/server/escrow";
import { PageShell } from "@/components/PageShell";
import { CreateProjectIsland } from "./islands";

export const dynamic = "force-dynamic";

export default async function ManagerPage() {
  const tc = await getTranslations("common");
  const read = await loadManagerForm();
  return (
    <PageShell ns="manager">
      {read.ok ? (
        <CreateProjectIsland {...read.form} />
      ) : (
        <p className="error" role="alert">
          {tc("loadFailed")}
        </p>
      )}
    </PageShell>
  );
}
