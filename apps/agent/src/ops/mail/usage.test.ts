// mail.usage through a real agent against the hermetic Postfix + Dovecot: what each of
// Steward's mailboxes holds, as Dovecot's quota counts it; a mailbox filled past its quota
// (Dovecot lets the last message over by its grace) says so, and the next message is refused.
import { execFileSync } from "node:child_process";
import { opStreamLine } from "@steward/contracts/agent";
import { type MailServer, startMail } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection } from "../../testing/mail.ts";
import { parseQuotaTable } from "./usage.ts";

const mail = await startMail({ managed: true, domains: ["usage.test"] });
const agent = mail ? await startTestAgent({ mail: mailSection(mail) }) : null;
afterAll(async () => {
  await agent?.stop();
  await mail?.stop();
});

const PASSWORD = "usage-password-1";
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", PASSWORD], {
  encoding: "utf8",
}).trim();
const box = (local: string, quotaMb: number) => ({
  address: `${local}@usage.test`,
  hash: HASH,
  quotaMb,
  enabled: true,
});

async function op(t: TestAgent, name: string, input: unknown) {
  const r = await t.call(`/v1/ops/${name}`, { body: { version: 1, input } });
  expect(r.status).toBe(200);
  const last = r
    .lines()
    .map((l) => opStreamLine.parse(l))
    .at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  return last.result;
}

describe("parseQuotaTable", () => {
  it("reads doveadm's tab table by its header, for the wanted users only", () => {
    const table =
      "Username\tQuota name\tType\tValue\tLimit\t%\n" +
      "a@x.test\tUser quota\tSTORAGE\t10\t1024\t0\n" +
      "a@x.test\tUser quota\tMESSAGE\t2\t-\t0\n" +
      "b@x.test\tUser quota\tSTORAGE\t0\t-\t0\n" +
      "other\tUser quota\tSTORAGE\t5\t-\t0\n";
    expect(parseQuotaTable(table, new Set(["a@x.test", "b@x.test"]))).toEqual([
      { address: "a@x.test", bytes: 10_240, messages: 2, limitBytes: 1_048_576 },
      { address: "b@x.test", bytes: 0, messages: 0, limitBytes: null },
    ]);
  });
});

describe.skipIf(!mail || !agent)("mail.usage against Dovecot", () => {
  const m = mail as MailServer;
  const a = agent as TestAgent;
  const plain = () =>
    nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });

  it("reports each mailbox's bytes, messages and quota; a full one refuses the next message", async () => {
    const applied = await op(a, "mail.apply", {
      domains: ["usage.test"],
      mailboxes: [box("small", 1), box("free", 0)],
      aliases: [],
    });
    expect(applied.status, JSON.stringify(applied.error)).toBe("ok");
    await plain().sendMail({
      from: "x@outside.test",
      to: "free@usage.test",
      subject: "Some text",
      text: "y".repeat(50_000),
    });
    // ~690 KB, then ~380 KB: over the 1 MiB quota by the last message (Dovecot's 10% grace)
    for (const [subject, lines] of [
      ["Big", 9_000],
      ["Bigger", 5_000],
    ] as const) {
      const text = "x".repeat(76).concat("\n").repeat(lines);
      await plain().sendMail({ from: "x@outside.test", to: "small@usage.test", subject, text });
      await m.waitForMessage({ to: "small@usage.test", password: PASSWORD, subject });
    }
    await m.waitForMessage({ to: "free@usage.test", password: PASSWORD, subject: "Some text" });
    const r = await op(a, "mail.usage", {});
    expect(r.status).toBe("ok");
    expect(r.changed).toBe(false);
    const usage = (r.output as { mailboxes: { address: string; bytes: number }[] }).mailboxes;
    const small = usage.find((u) => u.address === "small@usage.test");
    const free = usage.find((u) => u.address === "free@usage.test");
    expect(free).toMatchObject({ messages: 1, limitBytes: null });
    expect(free?.bytes).toBeGreaterThan(50_000);
    expect(small).toMatchObject({ messages: 2, limitBytes: 1_048_576 });
    expect(small?.bytes).toBeGreaterThanOrEqual(1_048_576);
    // the instance's own users are no mailbox of Steward's
    expect(usage.map((u) => u.address).sort()).toEqual(["free@usage.test", "small@usage.test"]);
    await plain().sendMail({ from: "x@outside.test", to: "small@usage.test", subject: "One more" });
    await expect
      .poll(() => m.log(), { timeout: 10_000 })
      .toMatch(/to=<small@usage\.test>.*status=(bounced|deferred).*[Qq]uota/);
  });
});
