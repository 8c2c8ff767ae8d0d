import { PageShell } from "@/components/PageShell";
import { DonorView } from "./DonorView";

export default function DonorPage() {
  return (
    <PageShell ns="donor">
      <DonorView />
    </PageShell>
  );
}
