// Tasks every installation starts with, installed with the first super user (in the
// transaction that creates it). Unique keys make this idempotent: an existing active task
// of the kind is returned instead of a second one. An installation made by an older release
// gets, at each start, the default tasks added since (addMissingDefaultTasks).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../engine.ts";
import type { TaskSpec } from "../types.ts";

export const defaultTasks: TaskSpec[] = [
  // housekeeping: after midnight UTC, behind anything more urgent
  { kind: "logrotate", payload: {}, expression: "@daily", timezone: "UTC", priority: 8 },
  // nodes (modules/nodes/tasks.ts): health every 30 seconds, facts hourly, certificates daily
  {
    kind: "node.heartbeat",
    payload: {},
    expression: "*/30 * * * * *",
    timezone: "UTC",
    priority: 2,
  },
  { kind: "node.facts", payload: {}, expression: "@hourly", timezone: "UTC", priority: 7 },
  { kind: "node.rotate-cert", payload: {}, expression: "@daily", timezone: "UTC", priority: 6 },
  // certificates (modules/certificates/tasks.ts): renewals due and expiry warnings, daily
  { kind: "certificate.scan", payload: {}, expression: "@daily", timezone: "UTC", priority: 4 },
  // monitors (modules/monitors/rollup.ts): roll-ups of the finished hour and day, retention
  { kind: "monitor.rollup", payload: {}, expression: "5 * * * *", timezone: "UTC", priority: 6 },
  // databases (modules/databases/sizes.ts): each database's size, hourly
  { kind: "database.sizes", payload: {}, expression: "17 * * * *", timezone: "UTC", priority: 7 },
  // mail (modules/mail/usage.ts): what each mailbox holds, every 15 minutes
  {
    kind: "mail.usage",
    payload: {},
    expression: "*/15 * * * *",
    timezone: "UTC",
    priority: 7,
  },
  // system users (modules/system-users/usage.ts): what each user's home holds, hourly
  {
    kind: "sysusers.usage",
    payload: {},
    expression: "23 * * * *",
    timezone: "UTC",
    priority: 7,
  },
  // mail (modules/mail/junk-task.ts): each domain's Junk loses what is older than its days
  {
    kind: "mail.junk-expunge",
    payload: {},
    expression: "40 3 * * *",
    timezone: "UTC",
    priority: 7,
  },
  // CMS sites (modules/cms/upgrade-scan.ts): upgrade tasks for what the policies apply
  {
    kind: "cms.upgrade-scan",
    payload: {},
    expression: "*/5 * * * *",
    timezone: "UTC",
    priority: 3,
  },
  // CMS sites (modules/cms/plugin-directory.ts): wordpress.org's last releases, for abandoned plugins
  {
    kind: "cms.plugin-directory",
    payload: {},
    expression: "41 * * * *",
    timezone: "UTC",
    priority: 7,
  },
];

export async function installDefaultTasks(
  engine: Pick<Engine, "enqueue">,
  trx?: Kysely<Database>,
): Promise<void> {
  for (const spec of defaultTasks) await engine.enqueue(spec, trx);
}

/**
 * The default tasks an installed panel (one that has its `logrotate`) lacks: those a later
 * release added. A kind with any task already (one a super user disabled, cancelled or let
 * fail) is left as it is; so is a panel with no super user yet. Answers the kinds enqueued.
 */
export async function addMissingDefaultTasks(
  engine: Pick<Engine, "enqueue">,
  db: Kysely<Database>,
): Promise<string[]> {
  const has = async (kind: string) =>
    (await db
      .selectFrom("tasks")
      .select("id")
      .where("kind", "=", kind)
      .limit(1)
      .executeTakeFirst()) !== undefined;
  if (!(await has("logrotate"))) return [];
  const added: string[] = [];
  for (const spec of defaultTasks) {
    if (await has(spec.kind)) continue;
    await engine.enqueue(spec);
    added.push(spec.kind);
  }
  return added;
}
