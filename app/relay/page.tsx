import { PageShell } from "@/components/PageShell";
import { RelayIsland as RelayView } from "./islands";

export default async function RelayPage({ searchParams }: { searchParams: Promise<{ c?: string }> }) {
  const { c } = await searchParams;
  return (
    <PageShell ns="relay">
      <RelayView initial={c} />
    </PageShell>
  );
}
