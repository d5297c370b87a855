import { PageHeader } from "../components/page.tsx";

export function DashboardPage() {
  return <PageHeader title="DashboardPage" description="Not built yet." />;
}
