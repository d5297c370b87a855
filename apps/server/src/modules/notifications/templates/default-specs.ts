// What each event type's default message says: its subject and the labelled lines of its
// body, written once and turned into plain text, Markdown and HTML templates by defaults.ts.
// Labels are plain words (no Markdown or Telegram-reserved characters); a line whose field
// may be null is left out when it is.
import type { EventType } from "@steward/contracts/notifications";

export interface DefaultLine {
  label: string;
  /** a Liquid expression: `fields.error`, `fields.sizeBytes | divided_by: 1024` */
  value: string;
  /** the field whose absence (null) leaves the line out */
  when?: string;
  unit?: string;
}

export interface DefaultSpec {
  subject: string;
  lines: DefaultLine[];
  /** a list of items under the lines (a digest's events) */
  list?: { items: string; item: string; more: string };
}

const line = (label: string, value: string, extra: Partial<DefaultLine> = {}): DefaultLine => ({
  label,
  value,
  ...extra,
});
const optional = (label: string, field: string, unit?: string) =>
  line(label, field, unit ? { when: field, unit } : { when: field });

const task = [line("Task", "fields.title"), line("Kind", "fields.kind")];
const monitor = [line("Monitor", "fields.monitorName"), line("Checks", "fields.monitorTarget")];

export const defaultSpecs: Record<EventType, DefaultSpec> = {
  "task.failed": {
    subject: "Task failed: {{ fields.title }}",
    lines: [...task, line("Attempts", "fields.attempts"), line("Error", "fields.error")],
  },
  "task.recovered": {
    subject: "Task succeeded again: {{ fields.title }}",
    lines: [...task, line("Failed attempts before", "fields.failedAttempts")],
  },
  "node.unreachable": {
    subject: "Node unreachable: {{ fields.nodeName }}",
    lines: [
      line("Node", "fields.nodeName"),
      optional("Last seen", "fields.lastSeenAt"),
      line("Error", "fields.error"),
    ],
  },
  "node.reachable": {
    subject: "Node reachable again: {{ fields.nodeName }}",
    lines: [
      line("Node", "fields.nodeName"),
      optional("Unreachable for", "fields.downtimeSeconds", "s"),
    ],
  },
  "site.failed": {
    subject: "Site failed: {{ fields.domain }}",
    lines: [
      line("Site", "fields.domain"),
      optional("Node", "fields.nodeName"),
      line("Error", "fields.error"),
    ],
  },
  "monitor.down": {
    subject: "Down: {{ fields.monitorName }}",
    lines: [
      ...monitor,
      line("Error", "fields.error"),
      optional("Response time", "fields.responseTimeMs", "ms"),
    ],
  },
  "monitor.up": {
    subject: "Up: {{ fields.monitorName }}",
    lines: [...monitor, optional("Down for", "fields.downtimeSeconds", "s")],
  },
  "monitor.degraded": {
    subject: "Degraded: {{ fields.monitorName }}",
    lines: [
      ...monitor,
      line("Reason", "fields.reason"),
      optional("Response time", "fields.responseTimeMs", "ms"),
    ],
  },
  "monitor.flapping": {
    subject: "Flapping: {{ fields.monitorName }}",
    lines: [
      ...monitor,
      line("Changes of state", "fields.transitions"),
      line("Within minutes", "fields.windowMinutes"),
    ],
  },
  "certificate.expiring": {
    subject: "Certificate expires in {{ fields.daysLeft }} days: {{ fields.domain }}",
    lines: [
      line("Domain", "fields.domain"),
      line("Expires", "fields.expiresAt"),
      line("Days left", "fields.daysLeft"),
      optional("Issuer", "fields.issuer"),
    ],
  },
  "certificate.failed": {
    subject: "Certificate failed: {{ fields.domain }}",
    lines: [
      line("Domain", "fields.domain"),
      line("Why", "fields.error"),
      line("Failures in a row", "fields.failures"),
      line("Next try", "fields.retryAt"),
    ],
  },
  "backup.succeeded": {
    subject: "Backup succeeded: {{ fields.targetName }}",
    lines: [line("Backup of", "fields.targetName"), optional("Size", "fields.sizeBytes", "bytes")],
  },
  "backup.partial": {
    subject: "Backup partly failed: {{ fields.targetName }}",
    lines: [
      line("Backup of", "fields.targetName"),
      optional("Size", "fields.sizeBytes", "bytes"),
      line("Error", "fields.error"),
    ],
  },
  "backup.failed": {
    subject: "Backup failed: {{ fields.targetName }}",
    lines: [line("Backup of", "fields.targetName"), line("Error", "fields.error")],
  },
  "backup.verified": {
    subject: "Backup verified: {{ fields.targetName }}",
    lines: [line("Backup of", "fields.targetName"), line("Result", "fields.message")],
  },
  "backup.verify_failed": {
    subject: "Backup test restore failed: {{ fields.targetName }}",
    lines: [line("Backup of", "fields.targetName"), line("Error", "fields.error")],
  },
  "cms.update.available": {
    subject: "Updates available: {{ fields.siteName }}",
    lines: [
      line("Site", "fields.siteUrl"),
      line("Updates", "fields.updates"),
      optional("Automatic at", "fields.runAt"),
    ],
  },
  "cms.update.succeeded": {
    subject: "Updated: {{ fields.siteName }}",
    lines: [line("Site", "fields.siteUrl"), line("Updates", "fields.updates")],
  },
  "cms.update.failed": {
    subject: "Update failed: {{ fields.siteName }}",
    lines: [
      line("Site", "fields.siteUrl"),
      line("Update", "fields.update"),
      line("Error", "fields.error"),
    ],
  },
  "cms.update.rolled_back": {
    subject: "Update rolled back: {{ fields.siteName }}",
    lines: [
      line("Site", "fields.siteUrl"),
      line("Update", "fields.update"),
      line("Why", "fields.error"),
      optional("Restored version", "fields.restoredVersion"),
    ],
  },
  "notification.test": {
    subject: "Test notification from Steward",
    lines: [optional("Channel", "fields.channelName"), optional("Sent by", "fields.requestedBy")],
  },
  "notification.digest": {
    subject: "{{ event.summary }}",
    lines: [line("Events", "fields.count")],
    list: { items: "fields.items", item: "item.summary", more: "fields.more" },
  },
};
