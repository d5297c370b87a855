import { PageHeader } from "../components/page.tsx";

export function SetupPage() {
  return <PageHeader title="SetupPage" description="Not built yet." />;
}
