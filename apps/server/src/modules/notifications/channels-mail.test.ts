// "Send test" on the kinds without a URL of their own in the settings: email through the API
// into a recording SMTP receiver and once through the testkit's real Postfix + Dovecot (read
// back over IMAP), and Pushover (a fixed public API, replaced by its fake through the
// service's test seam); and the installation's templates in what a test sends.
import { type MailServer, startMail } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { pushoverFake } from "./channels/fakes/pushover.ts";
import { leaked } from "./channels/fakes/server.ts";
import { type SmtpFake, startSmtpFake } from "./channels/fakes/smtp.ts";
import { useFake } from "./channels/fakes/use-fake.ts";
import { createChannelsService } from "./service.ts";
import { createTemplateStore } from "./template-store.ts";

const PASSWORD = "correct horse battery staple";
const APP = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";
const USER = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
const HOSTILE = "<script>alert(1)</script>[x](http://evil.test)";

let smtp: SmtpFake;
beforeAll(async () => {
  smtp = await startSmtpFake({
    mailboxes: ["ops@example.com"],
    login: { user: "panel", pass: PASSWORD },
  });
});
afterAll(() => smtp.close());
const pushover = useFake(pushoverFake(APP, USER));
const mail = await startMail();
afterAll(async () => {
  await mail?.stop();
});

describe("send test by email and Pushover", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  /** the service with a sender's test seam, as services.ts makes it otherwise */
  const withDeps = (sendDeps: Parameters<typeof createChannelsService>[0]["sendDeps"]) =>
    createChannelsService({
      db: s.svc.db,
      secrets: s.svc.secrets,
      settings: s.svc.settings,
      publicUrl: "http://localhost:8080",
      store: createTemplateStore(s.svc.db),
      sendDeps,
    });

  it("mails a test through the API, the channel's hostile name inert in the HTML part", async () => {
    const created = await s.request("POST", "/api/v1/notification-channels", {
      key: w.keys.accountAdmin,
      body: {
        name: HOSTILE,
        account: w.a,
        settings: {
          kind: "email",
          host: "127.0.0.1",
          port: smtp.port,
          security: "none",
          username: "panel",
          password: PASSWORD,
          from: "steward@example.com",
          to: ["ops@example.com"],
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.secretsSet).toEqual(["password"]);
    const sent = await s.request("POST", `/api/v1/notification-channels/${created.body.id}/test`, {
      key: w.keys.accountAdmin,
    });
    expect(sent.body).toMatchObject({ ok: true, status: 250 });
    expect(leaked(sent.body, [PASSWORD])).toEqual([]);
    const raw = smtp.received.at(-1)?.raw.replace(/=\r\n/g, "") ?? "";
    // plain text shows the name as it is; the HTML part escapes it
    const html = raw.split("Content-Type: text/html")[1] ?? "";
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("sends a Pushover test through the service, as Pushover documents", async () => {
    const svc = withDeps({ apiBase: pushover.url });
    const channel = await svc.create(s.cli, {
      name: "phone",
      account: w.a,
      enabled: true,
      settings: { kind: "pushover", appToken: APP, userKey: USER },
    });
    expect(channel.secretsSet).toEqual(["appToken", "userKey"]);
    const result = await svc.test(s.cli, channel.id);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(pushover.problems).toEqual([]);
    expect(leaked(result, [APP, USER])).toEqual([]);
  });

  it("sends with the installation's templates, read again as soon as one changes", async () => {
    const channel = (await s.svc.channels.list(s.cli, { account: w.a, limit: 50 })).items.find(
      (c) => c.kind === "email",
    );
    const path = "/api/v1/message-templates/notification.test";
    const put = await s.request("PUT", `${path}/text`, {
      key: w.keys.super,
      body: { subject: "Custom: {{ fields.channelName }}", body: "by {{ fields.requestedBy }}" },
    });
    expect(put.body).toMatchObject({ customised: true, updatedBy: "super@example.com" });
    await s.svc.channels.test(s.cli, channel?.id ?? "");
    expect(smtp.received.at(-1)?.raw).toContain("Subject: Custom: <script>alert(1)</script>");
    const reset = await s.request("DELETE", `${path}/text`, { key: w.keys.super });
    expect(reset.body.customised).toBe(false);
    await s.svc.channels.test(s.cli, channel?.id ?? "");
    expect(smtp.received.at(-1)?.raw).not.toContain("Subject: Custom:");
  });

  it.skipIf(!mail)("delivers a test into Postfix, read back over IMAP", async () => {
    const m = mail as MailServer;
    const ops = "alice@example.test";
    const svc = withDeps({
      ca: m.ca,
      resolve: async (host) => (host === m.hostname ? [m.host] : null),
    });
    const channel = await svc.create(s.cli, {
      name: "postfix",
      account: w.a,
      enabled: true,
      settings: {
        kind: "email",
        host: m.hostname,
        port: m.ports.submission,
        security: "starttls",
        username: "bob@example.test",
        password: m.password("bob@example.test"),
        from: "bob@example.test",
        to: [ops],
      },
    });
    const result = await svc.test(s.cli, channel.id);
    expect(result).toMatchObject({ ok: true, status: 250 });
    const got = await m.waitForMessage({ to: ops, subject: "Test notification from Steward" });
    expect(got.text).toContain("postfix");
    expect(got.raw).toMatch(/ESMTPSA/);
  });
});
