// Pieces every detail page shares: the link back to its list, its loading, not-found and
// error states, and the page around them (DetailPage).
import { Link, useNavigate } from "@tanstack/react-router";
import { ArrowLeft } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Spinner } from "../components/ui/button.tsx";
import { ApiError } from "../lib/errors.ts";
import { usePageTitle } from "../lib/title.ts";
import { toast } from "../lib/toast.ts";

type ListPath =
  | "/groups"
  | "/accounts"
  | "/users"
  | "/nodes"
  | "/sites"
  | "/tasks"
  | "/channels"
  | "/monitors"
  | "/dns"
  | "/mail"
  | "/status-pages"
  | "/cms-sites"
  | "/database-servers"
  | "/databases"
  | "/database-users"
  | "/backups"
  | "/backups/artifacts";

/** After deleting the page's item: back to its list, saying what was done. */
export function useDeleted() {
  const navigate = useNavigate();
  return (message: string, to: ListPath) => {
    toast(message);
    void navigate({ to });
  };
}

export function BackLink({ to, label }: { to: ListPath; label: string }) {
  return (
    <Link
      to={to}
      className="mb-3 inline-flex items-center gap-1 text-sm text-fg-muted hover:text-fg"
    >
      <ArrowLeft className="h-4 w-4" aria-hidden="true" /> {label}
    </Link>
  );
}

/** The same friendly answer on every page whose item is missing (or hidden from this person). */
export function ItemNotFound({ back }: { back: ReactNode }) {
  usePageTitle("Not found");
  return (
    <div className="grid gap-3">
      {back}
      <div className="rounded-lg border border-dashed border-border p-8 text-center">
        <EmptyState title="This does not exist, or you may not see it.">
          It may have been deleted. Go back to the list to find what you are looking for.
        </EmptyState>
      </div>
    </div>
  );
}

/** The loading, not-found and error states of a detail page's main object. */
export function DetailState({
  query,
  back,
}: {
  query: { isPending: boolean; error: unknown };
  back: ReactNode;
}) {
  if (query.isPending) {
    return (
      <div className="flex items-center gap-2 p-6 text-sm text-fg-muted" role="status">
        <Spinner /> Loading…
      </div>
    );
  }
  if (query.error instanceof ApiError && query.error.status === 404) {
    return <ItemNotFound back={back} />;
  }
  return (
    <div className="grid gap-3">
      {back}
      <ErrorAlert error={query.error} />
    </div>
  );
}

/**
 * A record's page: its loading, missing or failed state until the record is there; then the
 * link back to its list, its header and its body.
 */
export function DetailPage<T>({
  query,
  back,
  header,
  children,
}: {
  query: { data: T | undefined; isPending: boolean; error: unknown };
  back: { to: ListPath; label: string };
  header: (record: T) => ComponentProps<typeof PageHeader>;
  children: (record: T) => ReactNode;
}) {
  const backLink = <BackLink to={back.to} label={back.label} />;
  if (query.data === undefined) return <DetailState query={query} back={backLink} />;
  return (
    <>
      {backLink}
      <PageHeader {...header(query.data)} />
      {children(query.data)}
    </>
  );
}
