import { PageHeader } from "../components/page.tsx";

export function GroupDetailPage() {
  return <PageHeader title="GroupDetailPage" description="Not built yet." />;
}
