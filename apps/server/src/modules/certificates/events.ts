// The certificate events for the notification rules, built in one place: the daily scan
// records an expiry warning (modules/events' recordEvent, with the mark that it was raised)
// when a certificate crosses 21, 7 and 1 days left; issue.ts records `certificate.failed` in
// the transaction that marks the certificate failed, with the reason in words.
import type { notifications } from "@steward/contracts";
import type { EventTarget } from "@steward/contracts/notifications";
import type { CertificateRow } from "./repo.ts";

const DAY = 86_400_000;
/** Days before expiry a warning is raised, once each. */
export const WARN_DAYS = [21, 7, 1] as const;

type Expiring = notifications.EventOf<"certificate.expiring">;
export type CertificateEvent = Omit<Expiring, "id" | "url" | "occurredAt">;

type Failed = notifications.EventOf<"certificate.failed">;

/** Whose certificate: a site's (its account's), or the panel's own (the installation's: null). */
export interface CertificateOwner {
  account_id: string | null;
  site_id: string;
}

/** The event's target: the site, or the panel itself (site_id "") */
const targetOf = (row: CertificateOwner, primary: string): EventTarget =>
  row.site_id
    ? { type: "site", id: row.site_id, name: primary }
    : { type: "panel", id: "panel", name: primary };

/** The event of a failed issuance or renewal of `row` (for the site `primary`). */
export function failureEvent(
  row: CertificateOwner,
  primary: string,
  what: { names: string[]; challenge: "http-01" | "dns-01" | null; error: string },
  failures: number,
  retryAt: number,
): Omit<Failed, "id" | "url" | "occurredAt"> {
  return {
    type: "certificate.failed",
    severity: "critical",
    accountId: row.account_id,
    target: targetOf(row, primary),
    summary: `the certificate of ${primary} could not be issued: ${what.error}`.slice(0, 1000),
    fields: { domain: primary, ...what, failures, retryAt: new Date(retryAt).toISOString() },
  };
}

/**
 * The expiry warning a certificate is due, if any: the smallest threshold its days left have
 * reached that was not raised yet (`warned_days`), with that threshold to store.
 */
export function expiryWarning(
  row: CertificateOwner & Pick<CertificateRow, "not_after" | "warned_days" | "issuer">,
  primary: string,
  now: number,
): { event: CertificateEvent; threshold: number } | null {
  if (row.not_after === null) return null;
  const daysLeft = Math.floor((Number(row.not_after) - now) / DAY);
  const threshold = [...WARN_DAYS].reverse().find((d) => daysLeft <= d);
  if (threshold === undefined) return null;
  if (row.warned_days !== null && Number(row.warned_days) <= threshold) return null;
  const expiresAt = new Date(Number(row.not_after)).toISOString();
  return {
    threshold,
    event: {
      type: "certificate.expiring",
      severity: daysLeft <= 7 ? "critical" : "warning",
      accountId: row.account_id,
      target: targetOf(row, primary),
      summary:
        daysLeft < 0
          ? `the certificate of ${primary} expired on ${expiresAt.slice(0, 10)}`
          : `the certificate of ${primary} expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`,
      fields: { domain: primary, expiresAt, daysLeft, issuer: row.issuer },
    },
  };
}
