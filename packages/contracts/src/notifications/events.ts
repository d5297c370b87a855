// The event catalogue: every domain event a rule can route to a channel (issue 12). A type
// name is dotted so a rule can match a prefix ("monitor." matches monitor.down and
// monitor.up); each type has a default severity, a fixed outcome (what "success only" and
// "failure only" rules look at) and a zod schema of its structured fields. Every field is
// always present (null when unknown), so a template that names it renders for every event.
import { z } from "zod";
import { isoTime } from "../validators.ts";
import { type Severity, severity } from "./messages.ts";

export const eventOutcomes = ["success", "failure", "none"] as const;
export const eventOutcome = z.enum(eventOutcomes);
export type EventOutcome = z.infer<typeof eventOutcome>;

const name = z.string().max(255);
const message = z.string().max(4000);
const ref = z.string().max(64);
const count = z.number().int().min(0);

const taskFields = { taskId: ref, kind: z.string().max(63), title: name };
const cmsSiteFields = { siteId: ref, siteName: name, siteUrl: z.string().max(2048) };
const monitorFields = { monitorId: ref, monitorName: name, monitorTarget: name };
/** what each location saw ("down from panel, node_a; up from node_b"); null: the panel alone */
const locations = message.nullable();

/** The longest list a digest carries; the rest is only counted (`more`). */
export const MAX_DIGEST_ITEMS = 50;

export const digestItem = z.object({ summary: message, targetName: name.nullable() });

/** Each event type: its title in words, default severity, outcome, and its fields. */
export const eventCatalogue = {
  "task.failed": {
    title: "Task failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({ ...taskFields, attempts: count, error: message }),
  },
  "task.recovered": {
    title: "Task succeeded after failing",
    severity: "info",
    outcome: "success",
    fields: z.object({ ...taskFields, failedAttempts: count }),
  },
  "node.unreachable": {
    title: "Node unreachable",
    severity: "critical",
    outcome: "failure",
    fields: z.object({
      nodeId: ref,
      nodeName: name,
      lastSeenAt: isoTime.nullable(),
      error: message,
    }),
  },
  "node.reachable": {
    title: "Node reachable again",
    severity: "info",
    outcome: "success",
    fields: z.object({ nodeId: ref, nodeName: name, downtimeSeconds: count.nullable() }),
  },
  "site.failed": {
    title: "Site failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({ siteId: ref, domain: name, nodeName: name.nullable(), error: message }),
  },
  "monitor.down": {
    title: "Monitor down",
    severity: "critical",
    outcome: "failure",
    fields: z.object({
      ...monitorFields,
      error: message,
      responseTimeMs: count.nullable(),
      locations,
    }),
  },
  "monitor.up": {
    title: "Monitor up",
    severity: "info",
    outcome: "success",
    fields: z.object({ ...monitorFields, downtimeSeconds: count.nullable(), locations }),
  },
  "monitor.degraded": {
    title: "Monitor degraded",
    severity: "warning",
    outcome: "failure",
    fields: z.object({
      ...monitorFields,
      reason: message,
      responseTimeMs: count.nullable(),
      locations,
    }),
  },
  "monitor.flapping": {
    title: "Monitor flapping",
    severity: "warning",
    outcome: "failure",
    fields: z.object({ ...monitorFields, transitions: count, windowMinutes: count }),
  },
  // Slot for the TLS issue: fields may grow, the type name and these fields stay.
  "certificate.expiring": {
    title: "Certificate expiring",
    severity: "warning",
    outcome: "failure",
    fields: z.object({
      domain: name,
      expiresAt: isoTime,
      daysLeft: z.number().int(),
      issuer: name.nullable(),
    }),
  },
  /** an issuance or renewal that failed, with why in words a person can act on */
  "certificate.failed": {
    title: "Certificate failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({
      domain: name,
      names: z.array(name).max(100),
      challenge: z.enum(["http-01", "dns-01"]).nullable(),
      error: message,
      failures: count,
      retryAt: isoTime,
    }),
  },
  // Slots for the backups issue.
  "backup.succeeded": {
    title: "Backup succeeded",
    severity: "info",
    outcome: "success",
    fields: z.object({ backupId: ref, targetName: name, sizeBytes: count.nullable() }),
  },
  /** some destinations have the artifact, others failed: never counted as succeeded */
  "backup.partial": {
    title: "Backup partly failed",
    severity: "warning",
    outcome: "failure",
    fields: z.object({
      backupId: ref,
      targetName: name,
      sizeBytes: count.nullable(),
      error: message,
    }),
  },
  "backup.failed": {
    title: "Backup failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({ backupId: ref, targetName: name, error: message }),
  },
  /** a test restore of an artifact succeeded: it is "verified" */
  "backup.verified": {
    title: "Backup verified",
    severity: "info",
    outcome: "success",
    fields: z.object({ artifactId: ref, targetName: name, message }),
  },
  /** a test restore of an artifact failed (damaged, import failed, counts differ) */
  "backup.verify_failed": {
    title: "Backup test restore failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({ artifactId: ref, targetName: name, error: message }),
  },
  // The CMS fleet's updates (docs/cms.md#notifications): offers seen, updates applied,
  // failed, or rolled back after the HTTP check failed.
  "cms.update.available": {
    title: "CMS updates available",
    severity: "info",
    outcome: "none",
    fields: z.object({
      ...cmsSiteFields,
      /** "plugin hello/hello.php 1.0.0 → 1.1.0 (automatic)", one per line */
      updates: message,
      count,
      /** when the upgrade task will apply the automatic ones, null when none is */
      runAt: isoTime.nullable(),
    }),
  },
  "cms.update.succeeded": {
    title: "CMS update succeeded",
    severity: "info",
    outcome: "success",
    fields: z.object({ ...cmsSiteFields, taskId: ref, updates: message }),
  },
  "cms.update.failed": {
    title: "CMS update failed",
    severity: "critical",
    outcome: "failure",
    fields: z.object({ ...cmsSiteFields, taskId: ref, update: name, error: message }),
  },
  "cms.update.rolled_back": {
    title: "CMS update rolled back",
    severity: "warning",
    outcome: "failure",
    fields: z.object({
      ...cmsSiteFields,
      taskId: ref,
      update: name,
      error: message,
      restoredVersion: name.nullable(),
    }),
  },
  "notification.test": {
    title: "Test notification",
    severity: "info",
    outcome: "none",
    fields: z.object({ channelName: name.nullable(), requestedBy: name.nullable() }),
  },
  /** Several events of one type grouped into one message (a rule's grouping). */
  "notification.digest": {
    title: "Grouped events",
    severity: "warning",
    outcome: "none",
    fields: z.object({
      groupType: z.string().max(63),
      count: count,
      items: z.array(digestItem).max(MAX_DIGEST_ITEMS),
      more: count,
    }),
  },
} as const satisfies Record<
  string,
  { title: string; severity: Severity; outcome: EventOutcome; fields: z.ZodObject }
>;

export type EventType = keyof typeof eventCatalogue;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];
export const eventType = z.enum(eventTypes as [EventType, ...EventType[]]);

/** A type or a prefix of types, for rules: "monitor.down", "monitor." or "" (every type). */
export const eventTypePattern = z
  .string()
  .max(63, "must be at most 63 characters")
  // words of lowercase letters, joined by "_" inside a part (backup.verify_failed)
  .regex(
    /^([a-z]+(?:_[a-z]+)*\.)*([a-z]+(?:_[a-z]+)*)?$/,
    "must be an event type or a prefix ending with a dot",
  );
export const matchesEventType = (pattern: string, type: EventType) =>
  pattern === type || (pattern.endsWith(".") && type.startsWith(pattern)) || pattern === "";

export const eventTarget = z.object({ type: z.string().max(32), id: ref, name: name });
export type EventTarget = z.infer<typeof eventTarget>;

const envelope = {
  id: ref,
  severity,
  accountId: ref.nullable(),
  target: eventTarget.nullable(),
  /** one line that says what happened: "monitor shop.example.com is down" */
  summary: z.string().max(500),
  occurredAt: isoTime,
  /** where to look in the console */
  url: z.url({ protocol: /^https?$/ }).nullable(),
};

const eventOf = <T extends EventType>(type: T) =>
  z.object({ ...envelope, type: z.literal(type), fields: eventCatalogue[type].fields });

/** A domain event of any catalogued type, told apart by `type`. */
export const notificationEvent = z.discriminatedUnion(
  "type",
  eventTypes.map(eventOf) as unknown as [
    ReturnType<typeof eventOf>,
    ...ReturnType<typeof eventOf>[],
  ],
);
export type NotificationEvent = {
  [T in EventType]: Omit<z.infer<ReturnType<typeof eventOf<T>>>, "type" | "fields"> & {
    type: T;
    fields: z.infer<(typeof eventCatalogue)[T]["fields"]>;
  };
}[EventType];
export type EventOf<T extends EventType> = Extract<NotificationEvent, { type: T }>;
