// The email sender over TLS against local recording SMTP receivers with a certificate for
// mail.example.test (a test CA): nodemailer connects to the address the policy checked and
// verifies the certificate against the name the user gave, with STARTTLS required and with
// TLS from the first byte; a certificate for another name is refused.
import { issueIdentity, makeCa } from "@steward/agent/testing";
import { emailChannel } from "@steward/contracts/notifications";
import { afterAll, beforeAll, expect, it } from "vitest";
import { send } from "./email.ts";
import { fakeDeps, MESSAGE } from "./fakes/server.ts";
import { type SmtpFake, startSmtpFake } from "./fakes/smtp.ts";

const NAME = "mail.example.test";
let ca = "";
const servers: Record<"starttls" | "tls" | "other", SmtpFake | undefined> = {
  starttls: undefined,
  tls: undefined,
  other: undefined,
};
beforeAll(async () => {
  const authority = await makeCa();
  ca = authority.ca;
  const right = await issueIdentity(authority, NAME, "server-and-client", [NAME]);
  const wrong = await issueIdentity(authority, "other", "server-and-client", [
    "other.example.test",
  ]);
  const mailboxes = ["ops@example.com"];
  servers.starttls = await startSmtpFake({ mailboxes, tls: right });
  servers.tls = await startSmtpFake({ mailboxes, tls: { ...right, secure: true } });
  servers.other = await startSmtpFake({ mailboxes, tls: wrong });
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s?.close())));

const deps = () =>
  fakeDeps({ ca, resolve: async (host) => (host === NAME ? ["127.0.0.1"] : null) });
const channel = (server: SmtpFake | undefined, security: "starttls" | "tls") =>
  emailChannel.parse({
    kind: "email",
    host: NAME,
    port: server?.port,
    security,
    from: "steward@example.com",
    to: ["ops@example.com"],
  });

it.each(["starttls", "tls"] as const)(
  "delivers over %s, verifying the server's name",
  async (security) => {
    const server = servers[security];
    const result = await send(channel(server, security), MESSAGE, deps());
    expect(result).toMatchObject({ ok: true, status: 250 });
    expect(server?.received.at(-1)).toMatchObject({ to: ["ops@example.com"], secure: true });
  },
);

it("refuses a certificate for another name", async () => {
  const result = await send(channel(servers.other, "starttls"), MESSAGE, deps());
  expect(result).toMatchObject({ ok: false });
  expect(result.error).toContain(`Host: ${NAME}. is not in the cert's altnames`);
  expect(servers.other?.received).toEqual([]);
});
