// Mailbox modes, autoresponders and usage end to end, real components only: the panel with its
// worker and an enrolled agent whose Postfix + Dovecot (with Pigeonhole) are hermetic. A
// send-only mailbox is refused at RCPT, a receive-only one refused SMTP AUTH; an autoresponder
// set through the API answers a sender; the recurring mail.usage task samples what mailboxes
// hold (the list, the mailbox's usage with its history, the account's total and day); hostile values
// are refused naming the field with nothing changed; another account sees nothing.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { mailSection } from "@steward/agent/testing";
import { startMail } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const mail = await startMail({ managed: true });

describe.skipIf(!mail)("mailbox modes, autoresponders and usage through the panel", () => {
  const m = mail as NonNullable<typeof mail>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode | null = null;
  const D = "/api/v1/mail/domains";
  const MB = "/api/v1/mail/mailboxes";
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const PASS = "features-password-1";
  const submit = (user: string) =>
    nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      requireTLS: true,
      tls: { ca: m.ca, servername: m.hostname },
      auth: { user, pass: PASS },
    });
  const plain = () =>
    nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
  const DOMAIN = "features.test";
  const ids: Record<string, string> = {};
  let domainId = "";
  const box = async (local: string) =>
    (await api("GET", `${D}/${domainId}/mailboxes`)).body.items.find(
      (b: { address: string }) => b.address === `${local}@${DOMAIN}`,
    );

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "mail-node",
      listen: "127.0.0.1",
      agentJson: { mail: mailSection(m) },
    });
  }, 120_000);
  afterAll(async () => {
    await node?.close();
    await m.stop();
  });

  it("serves modes: send-only refused at RCPT, receive-only refused SMTP AUTH", async () => {
    const created = await api("POST", D, { name: DOMAIN, node: node?.id, account: w.a });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    domainId = created.body.id;
    let last = created.body.taskId;
    for (const [local, mode] of [
      ["me", "both"],
      ["out", "send-only"],
      ["in", "receive-only"],
      ["away", undefined],
    ] as const) {
      const r = await api("POST", `${D}/${domainId}/mailboxes`, {
        localPart: local,
        password: PASS,
        quotaMb: 10,
        ...(mode ? { mode } : {}),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ mode: mode ?? "both", autoresponder: null, usage: null });
      ids[local] = r.body.id;
      last = r.body.taskId;
    }
    await settled(last);
    await expect(
      plain().sendMail({ from: "x@outside.test", to: `out@${DOMAIN}`, subject: "In?" }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await submit(`out@${DOMAIN}`).sendMail({
      from: `out@${DOMAIN}`,
      to: `in@${DOMAIN}`,
      subject: "From out",
    });
    await m.waitForMessage({ to: `in@${DOMAIN}`, password: PASS, subject: "From out" });
    await expect(
      submit(`in@${DOMAIN}`).sendMail({ from: `in@${DOMAIN}`, to: `me@${DOMAIN}` }),
    ).rejects.toThrow(/535/);
    // back to both: it submits again
    const patched = await api("PATCH", `${MB}/${ids.in}`, { mode: "both" });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await settled(patched.body.taskId);
    // Dovecot reads its deny list again at most once a second (docs/mail.md): a mode change
    // is served within that second of its task's end
    await expect
      .poll(
        () =>
          submit(`in@${DOMAIN}`)
            .sendMail({ from: `in@${DOMAIN}`, to: `me@${DOMAIN}`, subject: "From in" })
            .then(
              () => "sent",
              (e: Error) => e.message,
            ),
        { timeout: 10_000, interval: 500 },
      )
      .toBe("sent");
    await m.waitForMessage({ to: `me@${DOMAIN}`, password: PASS, subject: "From in" });
  });

  it("answers with an autoresponder set through the API, and removes it", async () => {
    const body = 'Back on Monday.\n"Urgent"? Call \\ write.\n.\nThanks';
    const set = await api("PUT", `${MB}/${ids.away}/autoresponder`, {
      subject: "Out of office",
      body,
      days: 3,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.autoresponder).toEqual({
      subject: "Out of office",
      body,
      start: null,
      end: null,
      days: 3,
    });
    await settled(set.body.taskId);
    await plain().sendMail({
      from: `me@${DOMAIN}`,
      to: `away@${DOMAIN}`,
      subject: "Hello away",
      text: "x",
    });
    const reply = await m.waitForMessage({
      to: `me@${DOMAIN}`,
      password: PASS,
      subject: "Out of office",
    });
    expect(reply.text.replace(/\r\n/g, "\n").trim()).toBe(body);
    const audit = await api("GET", "/api/v1/audit-events?action=mail.mailbox.autoresponder.set");
    expect(JSON.stringify(audit.body)).toContain("Out of office");
    const removed = await api("DELETE", `${MB}/${ids.away}/autoresponder`);
    expect(removed.status).toBe(200);
    expect(removed.body.autoresponder).toBeNull();
    await settled(removed.body.taskId);
    const dir = join(m.managed?.configDir as string, "sieve");
    expect(existsSync(join(dir, `away@${DOMAIN}.sieve`))).toBe(false);
    expect(existsSync(join(dir, `away@${DOMAIN}.svbin`))).toBe(false);
  });

  it("refuses hostile autoresponders and modes naming the field, changing nothing", async () => {
    const good = { subject: "Away", body: "Back soon" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, subject: "Away\r\nBcc: victim@outside.test" }, "subject"],
      [{ ...good, subject: "Away\u0000" }, "subject"],
      [{ ...good, body: "nul\u0000" }, "body"],
      [{ ...good, body: "cr\r" }, "body"],
      [{ ...good, body: "x".repeat(10_241) }, "body"],
      [{ ...good, start: "2026-12-31", end: "2026-12-01" }, "end"],
      [{ ...good, start: "2026-12-01'; --" }, "start"],
      [{ ...good, days: 0 }, "days"],
      [{ ...good, subject: "" }, "subject"],
      [{ ...good, extra: 1 }, "extra"],
    ];
    for (const [input, field] of cases) {
      const r = await api("PUT", `${MB}/${ids.away}/autoresponder`, input);
      expect(r.status, JSON.stringify(input).slice(0, 60)).toBe(400);
      expect(JSON.stringify(r.body), JSON.stringify(input).slice(0, 60)).toContain(field);
    }
    for (const mode of ["evil", "both;", "", "SEND-ONLY"]) {
      const r = await api("PATCH", `${MB}/${ids.away}`, { mode });
      expect(r.status, mode).toBe(400);
      expect(JSON.stringify(r.body)).toContain("mode");
    }
    expect(await box("away")).toMatchObject({ autoresponder: null, mode: "both" });
  });

  it("samples usage: on the list, the mailbox's history, the account's total", async () => {
    const task = await s.svc.engine.enqueue({ kind: "mail.usage", payload: {} });
    expect((await api("POST", `/api/v1/tasks/${task.task.id}/run`)).status).toBe(200);
    await expect
      .poll(async () => (await box("me"))?.usage, { timeout: 30_000 })
      .toMatchObject({ limitBytes: 10 * 1_048_576 });
    const me = await box("me");
    expect(me.usage.messages).toBeGreaterThanOrEqual(2);
    expect(me.usage.bytes).toBeGreaterThan(0);
    // a few KB of 10 MiB, to a tenth of a percent
    expect(me.usage.percent).toBe(Math.round((me.usage.bytes / (10 * 1_048_576)) * 1000) / 10);
    const usage = await api("GET", `${MB}/${ids.me}/usage`);
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body).toMatchObject({ mailboxId: ids.me, address: `me@${DOMAIN}` });
    expect(usage.body.current).toEqual(me.usage);
    expect(usage.body.history).toHaveLength(1);
    expect(usage.body.history[0].bytes).toBe(me.usage.bytes);
    const account = await api("GET", `/api/v1/accounts/${w.a}/mail-usage`);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ accountId: w.a, mailboxes: 4 });
    expect(account.body.bytes).toBeGreaterThanOrEqual(me.usage.bytes);
    // the day's point of each mailbox, summed: today's is what they hold now
    expect(account.body.days).toEqual([
      {
        day: account.body.sampledAt.slice(0, 10),
        bytes: account.body.bytes,
        messages: account.body.messages,
        mailboxes: 4,
      },
    ]);
    expect(await taskLogText(s, task.task.id)).toMatch(/sampled 4 mailbox\(es\); 0 node/);
  });

  it("keeps another account out: not found, said the same way as a mailbox that does not exist", async () => {
    const other = w.keys.otherAdmin;
    for (const [method, url, body] of [
      ["GET", `${MB}/${ids.me}/usage`, undefined],
      ["PUT", `${MB}/${ids.me}/autoresponder`, { subject: "x", body: "y" }],
      ["DELETE", `${MB}/${ids.me}/autoresponder`, undefined],
      ["GET", `/api/v1/accounts/${w.a}/mail-usage`, undefined],
    ] as const) {
      const r = await api(method, url, body, other);
      expect(r.status, `${method} ${url}`).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain(DOMAIN);
    }
    const reader = await api(
      "PUT",
      `${MB}/${ids.me}/autoresponder`,
      { subject: "x", body: "y" },
      w.keys.reader,
    );
    expect(reader.status).toBe(403);
    expect((await api("GET", `${MB}/${ids.me}/usage`, undefined, w.keys.reader)).status).toBe(200);
  });
});
