import { PageHeader } from "../components/page.tsx";

export function AccountDetailPage() {
  return <PageHeader title="AccountDetailPage" description="Not built yet." />;
}
