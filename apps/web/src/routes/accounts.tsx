import { PageHeader } from "../components/page.tsx";

export function AccountsPage() {
  return <PageHeader title="AccountsPage" description="Not built yet." />;
}
