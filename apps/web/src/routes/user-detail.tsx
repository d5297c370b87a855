import { PageHeader } from "../components/page.tsx";

export function UserDetailPage() {
  return <PageHeader title="UserDetailPage" description="Not built yet." />;
}
