import { PageHeader } from "../components/page.tsx";

export function TaskDetailPage() {
  return <PageHeader title="TaskDetailPage" description="Not built yet." />;
}
