import { PageShell } from "@/components/PageShell";
import { ReviewerView } from "./ReviewerView";

export default function ReviewerPage() {
  return (
    <PageShell ns="reviewer">
      <ReviewerView />
    </PageShell>
  );
}
