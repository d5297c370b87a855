import { PageHeader } from "../components/page.tsx";

export function TasksPage() {
  return <PageHeader title="TasksPage" description="Not built yet." />;
}
