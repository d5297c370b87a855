import { PageHeader } from "../components/page.tsx";

export function GroupsPage() {
  return <PageHeader title="GroupsPage" description="Not built yet." />;
}
