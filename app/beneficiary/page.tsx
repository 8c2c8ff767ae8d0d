import { PageShell } from "@/components/PageShell";
import { QueryRoot } from "@/components/QueryRoot";
import { BeneficiaryView } from "./BeneficiaryView";

export default async function BeneficiaryPage({ searchParams }: { searchParams: Promise<{ address?: string }> }) {
  const { address } = await searchParams;
  return (
    <PageShell ns="beneficiary">
      {/* Reads in the browser until this page becomes server components + islands (issue 9, item 5). */}
      <QueryRoot>
        <BeneficiaryView address={address} />
      </QueryRoot>
    </PageShell>
  );
}
