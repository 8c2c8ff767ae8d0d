import { PageShell } from "@/components/PageShell";
import { CreateProjectForm } from "./CreateProjectForm";

export default function ManagerPage() {
  return (
    <PageShell ns="manager">
      <CreateProjectForm />
    </PageShell>
  );
}
