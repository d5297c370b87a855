// An account's mail per day (docs/mail.md#usage) on both dialects: samples recorded as the
// task mail.usage records them (usage-repo.ts), at hours over several days, answer each UTC
// day as the sums of its mailboxes' last samples of the day; another account's mailboxes, days
// older than 30, a removed mailbox and a removed domain count for nothing; another account's
// admin is told the account does not exist. Migration 082 fills the days from the hourly
// history kept before it.
// The sampling itself, from a real Dovecot, is in mailbox-features-api.test.ts.
import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateToLatest, migrateUpTo } from "../../db/migrate.ts";
import type { Db } from "../../db/open.ts";
import { openEmptyTestDb } from "../../testing/test-db.ts";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { forgetDomainUsage, recordUsage } from "./usage-repo.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const today = Math.floor(Date.now() / DAY) * DAY;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe.each(dialects())("an account's mail per day on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const box: Record<string, string> = {};
  const domains: Record<string, string> = {};

  beforeAll(async () => {
    const node = await trustedNode(s, "mail-days");
    for (const [account, name, locals] of [
      [w.a, "days-a.example", ["one", "two", "gone"]],
      [w.b, "days-b.example", ["other"]],
    ] as const) {
      const domain = await s.svc.mail.create(s.cli, { name, node, account });
      domains[name] = domain.id;
      for (const localPart of locals) {
        const created = await s.svc.mail.createMailbox(s.cli, domain.id, {
          localPart,
          password: "days-password-1",
          quotaMb: 0,
          enabled: true,
        });
        box[localPart] = created.id;
      }
    }
    const k = s.svc.db.db;
    const sample = (id: string, accountId: string, bytes: number) => ({
      id,
      accountId,
      bytes,
      messages: bytes / 100,
      limitBytes: null,
    });
    // 40 days ago: past the 30 kept, not answered
    await recordUsage(k, [sample(box.one as string, w.a, 900_000)], today - 40 * DAY + HOUR);
    // two days ago: one at 01:00 and again at 23:00 (the last counts), two at 05:00
    await recordUsage(k, [sample(box.one as string, w.a, 1_000)], today - 2 * DAY + HOUR);
    await recordUsage(k, [sample(box.two as string, w.a, 5_000)], today - 2 * DAY + 5 * HOUR);
    await recordUsage(k, [sample(box.one as string, w.a, 3_000)], today - 2 * DAY + 23 * HOUR);
    // yesterday: only one was sampled (two's node not reached all day)
    await recordUsage(k, [sample(box.one as string, w.a, 4_000)], today - DAY + 12 * HOUR);
    // today: all three of A, and B's one
    await recordUsage(
      k,
      [
        sample(box.one as string, w.a, 6_000),
        sample(box.two as string, w.a, 7_000),
        sample(box.gone as string, w.a, 100_000),
        sample(box.other as string, w.b, 50_000),
      ],
      today + 30 * 60_000,
    );
    await s.svc.mail.removeMailbox(s.cli, box.gone as string);
  });

  it("answers each day as the sums of its mailboxes' last samples of the day", async () => {
    const r = await s.request("GET", `/api/v1/accounts/${w.a}/mail-usage`, {
      key: w.keys.reader,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ accountId: w.a, mailboxes: 2, bytes: 13_000, messages: 130 });
    expect(r.body.days).toEqual([
      { day: dayOf(today - 2 * DAY), bytes: 8_000, messages: 80, mailboxes: 2 },
      { day: dayOf(today - DAY), bytes: 4_000, messages: 40, mailboxes: 1 },
      { day: dayOf(today), bytes: 13_000, messages: 130, mailboxes: 2 },
    ]);
    const b = await s.request("GET", `/api/v1/accounts/${w.b}/mail-usage`, {
      key: w.keys.otherAdmin,
    });
    expect(b.body.days).toEqual([
      { day: dayOf(today), bytes: 50_000, messages: 500, mailboxes: 1 },
    ]);
  });

  it("forgets a removed domain's days (as its mail.apply does once the node dropped it)", async () => {
    await forgetDomainUsage(s.svc.db.db, domains["days-b.example"] as string);
    const b = await s.request("GET", `/api/v1/accounts/${w.b}/mail-usage`, {
      key: w.keys.otherAdmin,
    });
    expect(b.body.days).toEqual([]);
    const a = await s.request("GET", `/api/v1/accounts/${w.a}/mail-usage`, { key: w.keys.reader });
    expect(a.body.days).toHaveLength(3);
  });

  it("tells another account's admin the account does not exist", async () => {
    const r = await s.request("GET", `/api/v1/accounts/${w.a}/mail-usage`, {
      key: w.keys.otherAdmin,
    });
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.body)).not.toMatch(/days-a|13000|8000/);
  });
});

describe.each(dialects())("migration 082 on %s", (dialect) => {
  let db: Db | undefined;
  afterAll(async () => db?.close());

  it("fills the days with each mailbox's last hourly point of each day", async () => {
    db = await openEmptyTestDb(dialect);
    await migrateUpTo(db, "079-system-user-usage");
    const points: [string, number, number][] = [
      ["mb_1", today - DAY + HOUR, 10],
      ["mb_1", today - DAY + 22 * HOUR, 20],
      ["mb_1", today + 2 * HOUR, 30],
      ["mb_2", today - DAY + 3 * HOUR, 40],
    ];
    for (const [mailbox, at, bytes] of points)
      await sql`insert into mail_usage_samples (mailbox_id, account_id, at, bytes, messages)
        values (${mailbox}, 'acc_1', ${at}, ${bytes}, 1)`.execute(db.db);
    await migrateToLatest(db);
    const { rows } = await sql<{
      mailbox_id: string;
      day: number | string;
      bytes: number | string;
    }>`
      select mailbox_id, day, bytes from mail_usage_days order by mailbox_id, day`.execute(db.db);
    expect(rows.map((r) => [r.mailbox_id, Number(r.day), Number(r.bytes)])).toEqual([
      ["mb_1", today - DAY, 20],
      ["mb_1", today, 30],
      ["mb_2", today - DAY, 40],
    ]);
  });
});
