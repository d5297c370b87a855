import { PageHeader } from "../components/page.tsx";

export function ProfilePage() {
  return <PageHeader title="ProfilePage" description="Not built yet." />;
}
