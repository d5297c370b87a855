// The API of backup sources, plans, runs and artifacts (issue 15). Sources say what is read
// (a node's directory, a database, every database of a server, MongoDB); plans say where it
// goes, when, how (zstd level, encryption) and how long it is kept; runs and artifacts are what
// happened. Every field is checked here, for the API, the CLI and the console alike.
import { z } from "zod";
import { cronExpression, timeZone } from "../api/tasks.ts";
import { sortQuery } from "../pagination.ts";
import { id, isoTime, label, noControl, text } from "../validators.ts";
import { absoluteDir } from "./destinations.ts";
import { backupOutcome, compressionLevel, recipientKey } from "./run.ts";
import { excludeGlob } from "./sources.ts";

/** mongodb:// or mongodb+srv:// with a host; the password in it is sealed at rest. */
export const mongoUri = z
  .string()
  .min(1, "must not be empty")
  .max(2048, "must be at most 2048 characters")
  .refine(noControl, "must not contain control characters or newlines")
  .refine(
    (s) => /^mongodb(\+srv)?:\/\/[^\s/?#]+/.test(s),
    "must be a mongodb:// or mongodb+srv:// URI with a host",
  );

/** A MongoDB database name (MongoDB's rules: no / \ . " $ space, under 64 bytes). */
export const mongoDatabase = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,63}$/, "must be 1 to 63 letters, digits, _ and -");

export const backupSourceKinds = ["files", "database", "server", "mongodb", "steward"] as const;

export const backupSourceInput = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("files"),
      nodeId: id,
      path: absoluteDir,
      excludes: z.array(excludeGlob).max(100, "must be at most 100 globs").default([]),
    }),
    /** a database of the databases module */
    z.strictObject({ kind: z.literal("database"), databaseId: id }),
    /** every database of a database server (one artifact each, listed at run time) */
    z.strictObject({ kind: z.literal("server"), serverId: id }),
    z.strictObject({
      kind: z.literal("mongodb"),
      nodeId: id,
      uri: mongoUri,
      database: mongoDatabase.nullable().default(null),
    }),
    /** Steward itself (its database, master key and settings file), run on the panel */
    z.strictObject({ kind: z.literal("steward") }),
  ],
  { error: "must be a files, database, server, mongodb or steward source" },
);

export const backupSourceCreate = z.strictObject({
  name: label(100),
  accountId: id,
  source: backupSourceInput,
  /** keep the source even when its check fails (the server cannot be reached now) */
  saveAnyway: z.boolean().default(false),
});
export type BackupSourceCreate = z.output<typeof backupSourceCreate>;

export const sourceCheck = z.object({
  ok: z.boolean(),
  message: text(2000).nullable(),
  /** the databases the check saw (database and server sources) */
  databases: z.array(z.string()).nullable(),
  at: isoTime,
});
export type SourceCheck = z.output<typeof sourceCheck>;

export const backupSource = z.object({
  id,
  accountId: id,
  name: z.string(),
  kind: z.enum(backupSourceKinds),
  nodeId: id.nullable(),
  databaseId: id.nullable(),
  serverId: id.nullable(),
  /** files: path and excludes; mongodb: database (the URI is sealed, never answered) */
  settings: z.record(z.string(), z.unknown()),
  lastCheck: sourceCheck.nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BackupSource = z.output<typeof backupSource>;

export const backupSourceListQuery = z.strictObject({
  sort: sortQuery(["name", "createdAt"]),
  account: id.optional(),
});

const keep = (max: number, what: string) =>
  z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(0, `must be 0 to ${max} ${what}`)
    .max(max, `must be 0 to ${max} ${what}`)
    .default(0);

export const retentionPolicy = z.union(
  [
    z.strictObject({
      keepLast: z
        .number({ error: "must be a number" })
        .int("must be a whole number")
        .min(1, "must be 1 to 1000")
        .max(1000, "must be 1 to 1000"),
    }),
    z.strictObject({
      gfs: z
        .strictObject({
          hourly: keep(1000, "hours"),
          daily: keep(1000, "days"),
          weekly: keep(520, "weeks"),
          monthly: keep(240, "months"),
          yearly: keep(100, "years"),
        })
        .refine(
          (g) => g.hourly + g.daily + g.weekly + g.monthly + g.yearly > 0,
          "must keep something (one of hourly, daily, weekly, monthly, yearly above 0)",
        ),
    }),
  ],
  { error: "must be {keepLast: N} or {gfs: {hourly, daily, weekly, monthly, yearly}}" },
);
export type RetentionPolicyInput = z.output<typeof retentionPolicy>;

export const planEncryption = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("none") }),
    /** the user's own X25519 public keys: only their private keys open the artifacts */
    z.strictObject({
      mode: z.literal("recipients"),
      recipients: z.array(recipientKey).min(1, "must name at least one key").max(16),
    }),
    /** a key pair made by the panel, its private key sealed with the master key */
    z.strictObject({ mode: z.literal("panel") }),
  ],
  { error: "must be none, recipients or panel" },
);

/** A plan's test restores: the newest unverified artifact of each source, on this schedule. */
export const planVerifySchedule = z.strictObject({
  schedule: cronExpression,
  timeZone: timeZone.default("UTC"),
});

export const backupPlanCreate = z.strictObject({
  name: label(100),
  accountId: id,
  sourceIds: z.array(id).min(1, "must name at least one source").max(50),
  destinationIds: z.array(id).min(1, "must name at least one destination").max(16),
  /** a cron expression (5 or 6 fields, @daily…); null: run only when asked */
  schedule: cronExpression.nullable().default(null),
  timeZone: timeZone.default("UTC"),
  compressionLevel: compressionLevel.default(3),
  encryption: planEncryption.default({ mode: "none" }),
  retention: retentionPolicy.default({ keepLast: 7 }),
  /** at most this many backup runs at once on a node when one of this plan's starts */
  concurrency: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be 1 to 16")
    .max(16, "must be 1 to 16")
    .default(1),
  enabled: z.boolean().default(true),
  /** test restores on a schedule (null: only when asked) */
  verify: planVerifySchedule.nullable().default(null),
});
export type BackupPlanCreate = z.output<typeof backupPlanCreate>;

export const backupRunStatuses = ["queued", "running", "succeeded", "partial", "failed"] as const;

/** What a plan's runs did lately and what it keeps (the plans list, its page, the dashboard). */
export const planActivity = z.object({
  /** the newest run (any status) and when it finished (null: not yet) */
  lastRun: z
    .object({ id, status: z.enum(backupRunStatuses), finishedAt: isoTime.nullable() })
    .nullable(),
  /** when a run last succeeded (every destination has its artifact); null: never */
  lastSuccessAt: isoTime.nullable(),
  /** bytes of the artifacts the plan keeps (not deleted by retention), every destination */
  storedBytes: z.number(),
});
export type PlanActivity = z.output<typeof planActivity>;

export const backupPlan = z.object({
  id,
  accountId: id,
  name: z.string(),
  sourceIds: z.array(id),
  destinationIds: z.array(id),
  schedule: z.string().nullable(),
  timeZone: z.string(),
  compressionLevel: z.number(),
  encryption: z.enum(["none", "recipients", "panel"]),
  /** the public keys artifacts are encrypted for (the panel's own pair's public key included) */
  recipients: z.array(z.string()),
  retention: retentionPolicy,
  concurrency: z.number(),
  enabled: z.boolean(),
  /** test restores on a schedule (null: only when asked) */
  verify: z.object({ schedule: z.string(), timeZone: z.string() }).nullable(),
  /** when the panel-sealed private key was last taken as a recovery kit */
  recoveryKitTakenAt: isoTime.nullable(),
  /** the schedule's next run (null: no schedule, or disabled) */
  nextRunAt: isoTime.nullable(),
  activity: planActivity,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type BackupPlan = z.output<typeof backupPlan>;

export const backupPlanListQuery = backupSourceListQuery;

export const backupRun = z.object({
  id,
  accountId: id,
  planId: id,
  sourceId: id,
  description: z.string(),
  nodeId: id.nullable(),
  status: z.enum(backupRunStatuses),
  artifact: z.string(),
  sourceBytes: z.number().nullable(),
  bytes: z.number().nullable(),
  destinations: z.array(backupOutcome),
  error: z.string().nullable(),
  taskId: id.nullable(),
  startedAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
  createdAt: isoTime,
});
export type BackupRun = z.output<typeof backupRun>;

export const backupRunListQuery = z.strictObject({
  plan: id.optional(),
  status: z.enum(backupRunStatuses).optional(),
});

export const runNowAnswer = z.object({
  runs: z.array(z.object({ runId: id, taskId: id, sourceId: id, description: z.string() })),
});

export const backupArtifact = z.object({
  id,
  accountId: id,
  /** null: imported from its sidecar by the storage explorer */
  runId: id.nullable(),
  /** null: an orphan artifact of the account (imported without a plan) */
  planId: id.nullable(),
  sourceId: id.nullable(),
  destinationId: id,
  name: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  sourceDescription: z.string(),
  createdAt: isoTime,
  verifiedAt: isoTime.nullable(),
  /** the last test restore's failure (null: never failed, or verified since) */
  verifyError: z.string().nullable(),
  /** when the last test restore finished, verified or not */
  verifyCheckedAt: isoTime.nullable(),
  deletedAt: isoTime.nullable(),
  importedAt: isoTime.nullable(),
});
export type BackupArtifact = z.output<typeof backupArtifact>;

export const backupArtifactListQuery = z.strictObject({
  plan: id.optional(),
  source: id.optional(),
  destination: id.optional(),
  verified: z.enum(["true", "false"]).optional(),
  /** made at or after / before (ISO-8601) */
  from: isoTime.optional(),
  to: isoTime.optional(),
});
