// Pieces the access pages' detail views share.
import { Link } from "@tanstack/react-router";
import { ArrowLeft } from "lucide-react";
import type { ReactNode } from "react";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Spinner } from "../components/ui/button.tsx";

export function BackLink({
  to,
  label,
}: {
  to: "/groups" | "/accounts" | "/users" | "/nodes" | "/sites";
  label: string;
}) {
  return (
    <Link
      to={to}
      className="mb-3 inline-flex items-center gap-1 text-sm text-fg-muted hover:text-fg"
    >
      <ArrowLeft className="h-4 w-4" aria-hidden="true" /> {label}
    </Link>
  );
}

/** The loading and error states of a detail page's main object. */
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
  return (
    <div className="grid gap-3">
      {back}
      <ErrorAlert error={query.error} />
    </div>
  );
}
