import { type ErrorComponentProps, Link } from "@tanstack/react-router";
import { messageOf } from "../lib/errors.ts";
import { usePageTitle } from "../lib/title.ts";
import { Alert } from "./ui/alert.tsx";

export function NotFound() {
  usePageTitle("Page not found");
  return (
    <div className="mx-auto grid max-w-md gap-3 p-10 text-center">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-fg-muted">
        This address does not exist.{" "}
        <Link to="/" className="text-primary underline">
          Go to the dashboard
        </Link>
        .
      </p>
    </div>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <div className="mx-auto grid max-w-md gap-3 p-10">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <Alert tone="error">{messageOf(error)}</Alert>
      <button
        type="button"
        className="justify-self-start text-sm text-primary underline"
        onClick={reset}
      >
        Try again
      </button>
    </div>
  );
}
