import { PageHeader } from "../components/page.tsx";

export function AuditPage() {
  return <PageHeader title="AuditPage" description="Not built yet." />;
}
