// What the backup pages share (issue 15): the API's shapes, the destinations, sources and
// plans one may see (by name, for pickers and for saying names rather than ids), a run's
// status and a destination's last test as badges, and a plan's schedule, retention and
// encryption in words.
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { Note } from "../components/record-link.tsx";
import { Alert } from "../components/ui/alert.tsx";
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";
import { api, type Item, unwrap } from "../lib/api.ts";
import { cn } from "../lib/cn.ts";
import { When } from "./hosting-parts.tsx";

export type Destination = Item<"/api/v1/backup-destinations">;
export type Source = Item<"/api/v1/backup-sources">;
export type Plan = Item<"/api/v1/backup-plans">;
export type Run = Item<"/api/v1/backup-runs">;
export type Artifact = Item<"/api/v1/backup-artifacts">;

/** the first this many of each are read for pickers and names */
const OPTIONS = 200;

export function useDestinationOptions() {
  return useQuery({
    queryKey: ["backup-destinations", "options"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/backup-destinations", {
          params: { query: { limit: OPTIONS, sort: "name" } },
        }),
      ).items,
    staleTime: 30_000,
  });
}

export function useSourceOptions() {
  return useQuery({
    queryKey: ["backup-sources", "options"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/backup-sources", {
          params: { query: { limit: OPTIONS, sort: "name" } },
        }),
      ).items,
    staleTime: 30_000,
  });
}

export function usePlanOptions() {
  return useQuery({
    queryKey: ["backup-plans", "options"],
    queryFn: async () =>
      unwrap(
        await api.GET("/api/v1/backup-plans", {
          params: { query: { limit: OPTIONS, sort: "name" } },
        }),
      ).items,
    staleTime: 30_000,
  });
}

/** A name by id from one of those lists; a deleted or unseen one says so. */
export function nameIn(items: { id: string; name: string }[] | undefined, what: string) {
  return (id: string) => items?.find((i) => i.id === id)?.name ?? `${what} ${id}`;
}

export const DESTINATION_KINDS = [
  { value: "local", label: "Directory on a node" },
  { value: "s3", label: "S3-compatible" },
  { value: "sftp", label: "SFTP" },
  { value: "ftp", label: "FTP / FTPS" },
] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number]["value"];
export const destinationKindName = (kind: string) =>
  DESTINATION_KINDS.find((k) => k.value === kind)?.label ?? kind;

export const SOURCE_KINDS = [
  { value: "files", label: "Files of a node" },
  { value: "database", label: "A database" },
  { value: "server", label: "Every database of a server" },
  { value: "mongodb", label: "MongoDB" },
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number]["value"];
export const sourceKindName = (kind: string) =>
  SOURCE_KINDS.find((k) => k.value === kind)?.label ?? kind;

/** Where a destination writes, in one line: "node web-1: /var/backups", "s3 bucket at host". */
export function destinationWhere(d: Destination, nodeName: (id: string) => string): string {
  const s = d.settings;
  const text = (k: string) => (typeof s[k] === "string" ? (s[k] as string) : "");
  switch (d.kind) {
    case "local":
      return `node ${nodeName(text("nodeId"))}: ${text("path")}`;
    case "s3":
      return `${text("bucket")}${text("prefix") ? `/${text("prefix")}` : ""} at ${text("endpoint")}`;
    default:
      return `${text("username")}@${text("host")}:${String(s.port ?? "")}${text("path") ? ` /${text("path").replace(/^\//, "")}` : ""}`;
  }
}

const runTones: Record<string, BadgeTone> = {
  queued: "neutral",
  running: "info",
  succeeded: "ok",
  partial: "warn",
  failed: "danger",
};

export function RunStatusBadge({ status }: { status: string }) {
  return <Badge tone={runTones[status] ?? "neutral"}>{status}</Badge>;
}

/** A destination's last "test destination": passed, or the step that failed. */
export function DestinationTestBadge({ test }: { test: Destination["lastTest"] }) {
  if (!test) return <Badge>not tested</Badge>;
  if (test.ok) return <Badge tone="ok">passed</Badge>;
  if (test.step === "untested") return <Badge tone="warn">not testable by you</Badge>;
  return <Badge tone="danger">failed at {test.step ?? "test"}</Badge>;
}

/** A backup record's page link, in the console's link style. */
export function BackupLink({
  to,
  id,
  children,
  className,
}: {
  to: "/backups/plans/$id" | "/backups/runs/$id";
  id: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Link
      to={to}
      params={{ id }}
      className={cn("font-medium text-primary hover:underline break-all", className)}
    >
      {children}
    </Link>
  );
}

/**
 * The artifact's page and the destination's explorer are other pages of the backups section
 * (restore, verify and download; a destination's objects): plain links to their addresses.
 */
export function PathLink({
  href,
  children,
  className,
}: {
  href: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <a href={href} className={cn("font-medium text-primary hover:underline", className)}>
      {children}
    </a>
  );
}

/**
 * A check the panel made before saving (a destination's test, a source's connection) that
 * failed: its words, and what to do ("save even if it fails" keeps it anyway).
 */
export function CheckFailed({ message, what }: { message: string | undefined; what: string }) {
  if (!message) return null;
  return (
    <Alert tone="error">
      <p className="font-medium">The {what} failed</p>
      <p className="mt-1 wrap-anywhere whitespace-pre-line">{message}</p>
      <p className="mt-1 text-fg">
        Fix what it says and try again, or tick “Save even if the {what} fails” to keep it as it is.
      </p>
    </Alert>
  );
}

/** The plan's last run as a badge, when it finished and when one last succeeded. */
export function LastResult({ plan }: { plan: Plan }) {
  const { lastRun, lastSuccessAt } = plan.activity;
  if (!lastRun) return <Badge>never run</Badge>;
  return (
    <span className="grid justify-items-start gap-1">
      <BackupLink to="/backups/runs/$id" id={lastRun.id} className="font-normal">
        <RunStatusBadge status={lastRun.status} />
      </BackupLink>
      {lastRun.finishedAt ? <When iso={lastRun.finishedAt} className="text-xs" /> : null}
      {lastRun.status !== "succeeded" ? (
        <Note>
          last success: {lastSuccessAt ? <When iso={lastSuccessAt} className="text-xs" /> : "never"}
        </Note>
      ) : null}
    </span>
  );
}
