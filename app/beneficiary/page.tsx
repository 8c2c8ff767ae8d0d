import { PageShell } from "@/components/PageShell";
import { BeneficiaryView } from "./BeneficiaryView";

export default async function BeneficiaryPage({ searchParams }: { searchParams: Promise<{ address?: string }> }) {
  const { address } = await searchParams;
  return (
    <PageShell ns="beneficiary">
      <BeneficiaryView address={address} />
    </PageShell>
  );
}
