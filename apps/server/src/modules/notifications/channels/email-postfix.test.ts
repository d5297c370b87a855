// The email channel end to end against real mail servers (the testkit's Postfix + Dovecot):
// an event rendered by the default templates, sent by the channel's sender over STARTTLS with
// AUTH on the submission port, read back over IMAP. A hostile site name arrives inert in the
// HTML part; a wrong password and a recipient outside the server's domains are failed results
// with the server's own words, nothing delivered.
import { emailChannel, sampleEvent } from "@steward/contracts/notifications";
import { type MailServer, startMail } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { renderMessage } from "../templates/render.ts";
import { fakeDeps } from "./fakes/server.ts";
import { sendNotification } from "./index.ts";

const mail = await startMail();
afterAll(async () => {
  await mail?.stop();
});

describe.skipIf(!mail)("email channel through Postfix and Dovecot", () => {
  const m = mail as MailServer;
  const ops = "alice@example.test";
  // the name the certificate is for, resolving to where the server listens
  const deps = () =>
    fakeDeps({ ca: m.ca, resolve: async (host) => (host === m.hostname ? [m.host] : null) });
  const channel = (over: { password?: string; to?: string[] } = {}) =>
    emailChannel.parse({
      kind: "email",
      host: m.hostname,
      port: m.ports.submission,
      security: "starttls",
      username: "bob@example.test",
      password: over.password ?? m.password("bob@example.test"),
      from: "bob@example.test",
      to: over.to ?? [ops],
    });

  it("delivers a rendered event over STARTTLS with AUTH, readable over IMAP, hostile names inert", async () => {
    const event = sampleEvent("site.failed");
    const domain = `<script>alert(1)</script>[x](http://evil.test)`;
    const message = await renderMessage({
      ...event,
      summary: `site ${domain} failed`,
      fields: { ...event.fields, domain },
    });
    const result = await sendNotification(channel(), message, deps());
    expect(result).toMatchObject({ ok: true, status: 250 });
    const got = await m.waitForMessage({ to: ops, subject: message.subject });
    expect(got.from).toContain("bob@example.test");
    expect(got.text).toContain(domain); // plain text: as it is, nothing interprets it
    expect(got.html).not.toContain("<script>");
    expect(got.html).toContain("&lt;script&gt;");
    expect(got.raw).toMatch(/ESMTPSA/); // TLS and AUTH, as Postfix recorded it
  });

  it("answers a failed result with the server's words for a wrong password", async () => {
    const result = await sendNotification(channel({ password: "not-it" }), await test(), deps());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/535|authentication failed/i);
    expect(JSON.stringify(result)).not.toContain("not-it");
  });

  it("answers a failed result for a recipient the server does not deliver to, nothing sent", async () => {
    const to = ["someone@elsewhere.test"];
    const result = await sendNotification(channel({ to }), await test(), deps());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/relay|nothing leaves|rejected/i);
    expect(m.log()).not.toMatch(/to=<someone@elsewhere\.test>.*status=sent/);
  });
});

const test = () => renderMessage(sampleEvent("notification.test"));
