// What the certificates page and the panel's own certificate share: the state's badge (with
// why the last try failed) and the days left, coloured at the warning thresholds.
import { Badge, type BadgeTone } from "../components/ui/badge.tsx";

export const CERTIFICATE_STATES = ["pending", "issuing", "active", "failed"] as const;

export const stateTones: Record<string, BadgeTone> = {
  pending: "info",
  issuing: "info",
  active: "ok",
  failed: "danger",
};

/** The thresholds the daily scan warns at (days left), as the API's events say. */
export const WARN_DAYS = [21, 7, 1] as const;

/**
 * Days left: fine above 21, a warning from 21, danger from 7, and from 1 day it says so in
 * words ("tomorrow", "today", "expired").
 */
export function DaysLeft({ days }: { days: number | null }) {
  if (days === null) return <span className="text-fg-muted">—</span>;
  const tone: BadgeTone = days <= WARN_DAYS[1] ? "danger" : days <= WARN_DAYS[0] ? "warn" : "ok";
  const words =
    days < 0 ? "expired" : days === 0 ? "expires today" : days === 1 ? "expires tomorrow" : null;
  return <Badge tone={tone}>{words ?? `${days} d`}</Badge>;
}

export function CertificateState({ state, error }: { state: string; error: string | null }) {
  return (
    <span className="grid justify-items-start gap-1">
      <Badge tone={stateTones[state] ?? "neutral"}>{state}</Badge>
      {error ? <span className="text-xs wrap-anywhere text-fg-muted">{error}</span> : null}
    </span>
  );
}
