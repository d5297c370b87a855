// Mailbox modes and autoresponders through a real agent against the hermetic Postfix +
// Dovecot (with Pigeonhole): a receive-only mailbox gets mail and reads it over IMAP but is
// refused SMTP AUTH; a send-only one submits but is refused at RCPT, under a catch-all too (the
// access map, or MAIL_NOT_CONFIGURED naming the main.cf line), as is a disabled one there; an autoresponder's Sieve
// script (compiled by sievec) answers a sender once, with its subject and body verbatim
// (quotes, backslashes, a lone "." line), and not outside its days; hostile text is refused at
// the agent's wall with nothing written.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { type MailServer, startMail } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection } from "../../testing/mail.ts";

const mail = await startMail({ managed: true, domains: ["modes.test"] });
const agent = mail ? await startTestAgent({ mail: mailSection(mail) }) : null;
afterAll(async () => {
  await agent?.stop();
  await mail?.stop();
});

const PASSWORD = "mode-password-1";
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", PASSWORD], {
  encoding: "utf8",
}).trim();
const BODY = 'I am away.\n"Quoted", a back\\slash\n.\nand a last line";\n} reject "x";';
const away = {
  subject: 'Away: "until" Monday',
  body: BODY,
  start: null,
  end: null,
  days: 1,
};
const box = (local: string, extra: Record<string, unknown> = {}) => ({
  address: `${local}@modes.test`,
  hash: HASH,
  quotaMb: 0,
  enabled: true,
  ...extra,
});
const state = {
  domains: ["modes.test"],
  mailboxes: [
    box("both"),
    box("inbound", { mode: "receive-only" }),
    box("outbound", { mode: "send-only" }),
    box("away", { autoresponder: away }),
    box("later", {
      autoresponder: { ...away, subject: "Not yet", start: "2999-01-01", end: "2999-01-02" },
    }),
  ],
  aliases: [],
};

async function apply(t: TestAgent, input: unknown) {
  const r = await t.call("/v1/ops/mail.apply", { body: { version: 1, input } });
  if (r.status !== 200) return { status: r.status, error: r.json() as Record<string, unknown> };
  const last = r
    .lines()
    .map((l) => opStreamLine.parse(l))
    .at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  return { status: 200, result: last.result };
}

describe.skipIf(!mail || !agent)("mailbox modes and autoresponders", () => {
  const m = mail as MailServer;
  const a = agent as TestAgent;
  const dir = m.managed?.configDir as string;
  const submit = (local: string) =>
    nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      requireTLS: true,
      tls: { ca: m.ca, servername: m.hostname },
      auth: { user: `${local}@modes.test`, pass: PASSWORD },
    });
  const plain = () =>
    nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
  const inbox = (local: string) => ({ to: `${local}@modes.test`, password: PASSWORD });

  it("applies modes and compiled Sieve scripts; refuses the send-only address at RCPT", async () => {
    const r = await apply(a, state);
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(readFileSync(join(dir, "deny"), "utf8")).toBe("inbound@modes.test/smtp:\n");
    expect(readFileSync(join(dir, "mailboxes"), "utf8")).not.toContain("outbound@");
    expect(readdirSync(join(dir, "sieve")).sort()).toEqual([
      "away@modes.test.sieve",
      "away@modes.test.svbin",
      "later@modes.test.sieve",
      "later@modes.test.svbin",
    ]);
    expect(r.result?.steps.map((s) => s.name)).toContain("sievec away@modes.test");
    await expect(
      plain().sendMail({ from: "x@outside.test", to: "outbound@modes.test", subject: "In?" }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it("refuses the send-only address at RCPT under a catch-all too (550), the rest going to it", async () => {
    const catchAll = { source: "@modes.test", destinations: ["both@modes.test"] };
    const r = await apply(a, { ...state, aliases: [catchAll] });
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(readFileSync(join(dir, "refuse"), "utf8")).toBe(
      "outbound@modes.test 550 5.1.1 this address sends mail only and receives none\n",
    );
    await expect(
      plain().sendMail({ from: "x@outside.test", to: "outbound@modes.test", subject: "Caught?" }),
    ).rejects.toMatchObject({ responseCode: 550, response: /sends mail only/ });
    await plain().sendMail({ from: "x@outside.test", to: "nobody@modes.test", subject: "Caught" });
    await m.waitForMessage({ ...inbox("both"), subject: "Caught" });
    // back to both: the address is accepted again (verified at RCPT by the agent)
    const back = await apply(a, {
      ...state,
      mailboxes: state.mailboxes.map((b) =>
        "mode" in b && b.mode === "send-only" ? { ...b, mode: "both" } : b,
      ),
      aliases: [catchAll],
    });
    expect(back.result?.output).toMatchObject({ accepted: ["outbound@modes.test"] });
    expect(readFileSync(join(dir, "refuse"), "utf8")).toBe("");
    // send-only again: the agent checks at RCPT that it is refused
    const again = await apply(a, { ...state, aliases: [catchAll] });
    expect(again.result?.output).toMatchObject({ refused: ["outbound@modes.test"] });
    const none = await apply(a, state);
    expect(none.result?.status, JSON.stringify(none.result?.error)).toBe("ok");
    expect(readFileSync(join(dir, "refuse"), "utf8")).toBe("");
  });

  it("refuses a disabled mailbox under a catch-all (550 5.2.1) instead of handing its mail on", async () => {
    const catchAll = { source: "@modes.test", destinations: ["both@modes.test"] };
    const r = await apply(a, {
      ...state,
      mailboxes: [...state.mailboxes, box("paused", { enabled: false })],
      aliases: [catchAll],
    });
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(readFileSync(join(dir, "refuse"), "utf8")).toBe(
      "outbound@modes.test 550 5.1.1 this address sends mail only and receives none\n" +
        "paused@modes.test 550 5.2.1 this mailbox is disabled and receives no mail\n",
    );
    await expect(
      plain().sendMail({ from: "x@outside.test", to: "paused@modes.test", subject: "Paused?" }),
    ).rejects.toMatchObject({ responseCode: 550, response: /mailbox is disabled/ });
    // enabled again: its own mail, verified at RCPT by the agent
    const back = await apply(a, {
      ...state,
      mailboxes: [...state.mailboxes, box("paused")],
      aliases: [catchAll],
    });
    expect(back.result?.output).toMatchObject({ accepted: ["paused@modes.test"] });
    await plain().sendMail({ from: "x@outside.test", to: "paused@modes.test", subject: "Back" });
    await m.waitForMessage({ ...inbox("paused"), subject: "Back" });
    const none = await apply(a, state);
    expect(none.result?.status, JSON.stringify(none.result?.error)).toBe("ok");
    expect(readFileSync(join(dir, "refuse"), "utf8")).toBe("");
  });

  it("says which main.cf line is missing when Postfix does not check the refusals", async () => {
    const postconf = (...args: string[]) =>
      execFileSync("/usr/sbin/postconf", ["-c", m.managed?.postfixConfigDir as string, ...args], {
        encoding: "utf8",
      });
    const line = postconf("-h", "smtpd_recipient_restrictions").trim();
    postconf("-X", "smtpd_recipient_restrictions");
    try {
      const r = await apply(a, {
        ...state,
        aliases: [{ source: "@modes.test", destinations: ["both@modes.test"] }],
      });
      expect(r.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
      expect(r.result?.error?.message).toContain(
        `add check_recipient_access texthash:${join(dir, "refuse")} to it`,
      );
      expect(readFileSync(join(dir, "refuse"), "utf8")).toBe("");
    } finally {
      postconf("-e", `smtpd_recipient_restrictions = ${line}`);
    }
  });

  it("lets a send-only mailbox submit, and a receive-only one read but not submit", async () => {
    await submit("outbound").sendMail({
      from: "outbound@modes.test",
      to: "inbound@modes.test",
      subject: "From send-only",
      text: "hello",
    });
    const got = await m.waitForMessage({ ...inbox("inbound"), subject: "From send-only" });
    expect(got.raw).toMatch(/with ESMTPSA/);
    await expect(
      submit("inbound").sendMail({ from: "inbound@modes.test", to: "both@modes.test" }),
    ).rejects.toThrow(/535/);
    // the same password still opens IMAP (the deny list is for SMTP only)
    expect((await m.messages("inbound@modes.test", PASSWORD)).length).toBeGreaterThan(0);
  });

  it("answers with the autoresponder once per sender, its text verbatim, not outside its days", async () => {
    await plain().sendMail({
      from: "both@modes.test",
      to: "later@modes.test",
      subject: "Are you there later?",
      text: "x",
    });
    await m.waitForMessage({ ...inbox("later"), subject: "Are you there later?" });
    for (const n of [1, 2])
      await plain().sendMail({
        from: "both@modes.test",
        to: "away@modes.test",
        subject: `Are you there ${n}?`,
        text: "x",
      });
    await m.waitForMessage({ ...inbox("away"), subject: "Are you there 2?" });
    const reply = await m.waitForMessage({ ...inbox("both"), subject: away.subject });
    expect(reply.text.replace(/\r\n/g, "\n").trim()).toBe(BODY);
    expect(reply.raw).toMatch(/^Auto-Submitted: auto-replied/im);
    await m.waitForMessage({ ...inbox("away"), subject: "Are you there 2?" });
    const subjects = (await m.messages("both@modes.test", PASSWORD)).map((x) => x.subject);
    expect(subjects.filter((s) => s === away.subject)).toHaveLength(1);
    expect(subjects).not.toContain("Not yet");
  });

  it("refuses hostile autoresponder text and reversed dates at the wall, writing nothing", async () => {
    const before = readFileSync(join(dir, "sieve", "away@modes.test.sieve"), "utf8");
    const hostile = [
      { ...away, subject: "Away\r\nBcc: victim@outside.test" },
      { ...away, subject: "Away\nX: y" },
      { ...away, body: "nul\u0000byte" },
      { ...away, body: "cr\rhere" },
      { ...away, body: "x".repeat(10_241) },
      { ...away, start: "2026-12-31", end: "2026-12-01" },
      { ...away, start: "2026-02-30" },
      { ...away, days: 0 },
    ];
    for (const autoresponder of hostile) {
      const mailboxes = state.mailboxes.map((b) =>
        b.address === "away@modes.test" ? { ...b, autoresponder } : b,
      );
      const r = await apply(a, { ...state, mailboxes });
      expect(r.status, JSON.stringify(autoresponder).slice(0, 80)).toBe(400);
      expect(JSON.stringify(r.error)).toMatch(/autoresponder/);
    }
    expect(readFileSync(join(dir, "sieve", "away@modes.test.sieve"), "utf8")).toBe(before);
  });

  it("removes a script with its autoresponder, and every mode back to both", async () => {
    const r = await apply(a, {
      ...state,
      mailboxes: state.mailboxes.map((b) => ({ ...b, mode: "both", autoresponder: null })),
    });
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(readdirSync(join(dir, "sieve"))).toEqual([]);
    expect(readFileSync(join(dir, "deny"), "utf8")).toBe("");
    expect(existsSync(join(dir, "sieve", "away@modes.test.svbin"))).toBe(false);
    expect(r.result?.output).toMatchObject({ accepted: ["outbound@modes.test"] });
  });
});
