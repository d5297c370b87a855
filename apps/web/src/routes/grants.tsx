import { PageHeader } from "../components/page.tsx";

export function GrantsPage() {
  return <PageHeader title="GrantsPage" description="Not built yet." />;
}
