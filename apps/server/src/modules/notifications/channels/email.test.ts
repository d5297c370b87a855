// The email sender (nodemailer) against a local recording SMTP receiver (fakes/smtp.ts). The
// end-to-end test through Postfix + Dovecot, read back over IMAP, follows with the testkit's
// hermetic mail server.
import { emailChannel } from "@steward/contracts/notifications";
import { afterAll, beforeAll, expect, it } from "vitest";
import { send } from "./email.ts";
import { fakeDeps, leaked, MESSAGE } from "./fakes/server.ts";
import { type SmtpFake, startSmtpFake } from "./fakes/smtp.ts";

const PASSWORD = "correct horse battery staple";
let smtp: SmtpFake;
beforeAll(async () => {
  smtp = await startSmtpFake({
    mailboxes: ["ops@example.com", "oncall@example.com"],
    login: { user: "panel", pass: PASSWORD },
  });
});
afterAll(() => smtp.close());

const channel = (password: string, to = ["ops@example.com", "oncall@example.com"]) =>
  emailChannel.parse({
    kind: "email",
    host: "127.0.0.1",
    port: smtp.port,
    security: "none",
    username: "panel",
    password,
    from: "steward@example.com",
    to,
  });

it("logs in and delivers text and HTML to every recipient, answering the server's reply", async () => {
  const html = "<p>The site <b>shop.example.com</b> failed.</p>";
  const result = await send(channel(PASSWORD), { ...MESSAGE, html }, fakeDeps());
  expect(result).toMatchObject({ ok: true, status: 250 });
  expect(result.response).toContain("Message queued as 4XYZ");
  const mail = smtp.received.at(-1);
  expect(mail).toMatchObject({
    from: "steward@example.com",
    to: ["ops@example.com", "oncall@example.com"],
    user: "panel",
  });
  const raw = mail?.raw.replace(/=\r\n/g, "") ?? "";
  expect(raw).toContain(`Subject: ${MESSAGE.subject}`);
  expect(raw).toContain("Content-Type: text/plain");
  expect(raw).toContain("Content-Type: text/html");
  expect(raw).toContain("nginx -t refused the configuration.");
  expect(result.request).toMatchObject({ method: "SMTP", url: `smtp://127.0.0.1:${smtp.port}` });
});

it("fails with the server's reply on a refused login, the password redacted", async () => {
  const wrong = "wrong password 123";
  const result = await send(channel(wrong), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: false, status: 535 });
  expect(result.error).toContain("Authentication credentials invalid");
  expect(leaked(result, [wrong, PASSWORD])).toEqual([]);
});

it("fails naming an unknown mailbox", async () => {
  const result = await send(channel(PASSWORD, ["nobody@example.com"]), MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: false, status: 550 });
  expect(result.error).toContain("Mailbox <nobody@example.com> does not exist");
});

it("refuses an SMTP host the policy refuses, connecting nowhere", async () => {
  const settings = { ...channel(PASSWORD), host: "127.0.0.2" };
  const result = await send(settings, MESSAGE, fakeDeps());
  expect(result).toMatchObject({ ok: false, status: null });
  expect(result.error).toBe(
    "host: 127.0.0.2 is a loopback address, which this panel does not allow",
  );
});
