import { PageShell } from "@/components/PageShell";
import { OfficialView } from "./OfficialView";

export default function OfficialPage() {
  return (
    <PageShell ns="official">
      <OfficialView />
    </PageShell>
  );
}
