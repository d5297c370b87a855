// Events for tests of the events API, recorded the way producers record them, each in a
// transaction of its own: a site.failed event in an account (or none), and a mix of types.
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { type EventInput, recordEvent } from "../modules/events/record.ts";

const record = (db: Kysely<Database>, input: EventInput) =>
  db.transaction().execute((trx) => recordEvent(trx, input));

const siteFailed = (accountId: string | null, domain: string): EventInput => {
  const siteId = `site_${domain.replace(/\W/g, "")}`;
  return {
    type: "site.failed",
    accountId,
    target: { type: "site", id: siteId, name: domain },
    summary: `site ${domain} failed`,
    fields: { siteId, domain, nodeName: null, error: "test" },
  };
};

export const eventIn = (db: Kysely<Database>, accountId: string | null, domain = "x.example.com") =>
  record(db, siteFailed(accountId, domain));

/** The i-th of a mix: a site failed (critical), a task failed (critical), a test (info). */
export function mixedEvent(db: Kysely<Database>, accountId: string | null, i: number) {
  const name = `e${i}.example.com`;
  if (i % 3 === 0) return record(db, siteFailed(accountId, name));
  if (i % 3 === 1)
    return record(db, {
      type: "task.failed",
      accountId,
      target: { type: "task", id: `tsk_${i}`, name: `noop ${i}` },
      summary: `task noop ${i} failed`,
      fields: { taskId: `tsk_${i}`, kind: "noop", title: `noop ${i}`, attempts: 1, error: "x" },
    });
  return record(db, {
    type: "notification.test",
    accountId,
    target: null,
    summary: "a test",
    fields: { channelName: null, requestedBy: name },
  });
}
