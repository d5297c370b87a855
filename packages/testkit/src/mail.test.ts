import { existsSync, readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { type MailServer, startMail } from "./mail.ts";

const mail = await startMail({
  domains: ["example.test", "example.org"],
  users: ["alice", "bob", "carol@example.org"],
});
afterAll(async () => {
  await mail?.stop();
});

describe.skipIf(!mail)("testkit mail server", () => {
  const m = mail as MailServer;
  const alice = "alice@example.test";
  const bob = "bob@example.test";
  const carol = "carol@example.org";
  const auth = (user: string) => ({ user, pass: m.password(user) });

  it("delivers plain SMTP (no TLS, no AUTH) to a local mailbox, read back over IMAP", async () => {
    const smtp = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    const sent = await smtp.sendMail({
      from: "Steward <steward@panel.test>",
      to: alice,
      subject: "Plain hello",
      text: "The backup of site 7 failed.",
      html: "<p>The backup of <b>site 7</b> failed.</p>",
    });
    expect(sent.accepted).toEqual([alice]);
    const got = await m.waitForMessage({ to: alice, subject: "Plain hello" });
    expect(got.from).toBe('"Steward" <steward@panel.test>');
    expect(got.to).toEqual([alice]);
    expect(got.text.trim()).toBe("The backup of site 7 failed.");
    expect(got.html).toContain("<b>site 7</b>");
    expect(got.raw).toMatch(/^Received: from /m);
  });

  it("takes STARTTLS and AUTH on the submission port, trusting the throwaway CA", async () => {
    const smtp = nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      requireTLS: true,
      tls: { ca: m.ca, servername: m.hostname },
      auth: auth(bob),
    });
    await smtp.sendMail({ from: bob, to: "alice@example.test", subject: "Over STARTTLS" });
    const got = await m.waitForMessage({ to: alice, subject: /^Over STARTTLS$/ });
    // ESMTPSA: over TLS (S) and authenticated (A)
    expect(got.raw).toMatch(
      /\(using TLSv1\.[23] [^)]*\)\s+.*by mail\.example\.test \(Postfix\) with ESMTPSA/s,
    );
  });

  it("takes implicit TLS with AUTH, and delivers to every local domain", async () => {
    const smtp = nodemailer.createTransport({
      host: m.host,
      port: m.ports.smtps,
      secure: true,
      tls: { ca: readFileSync(m.caFile) }, // the CA as a file, as NODE_EXTRA_CA_CERTS takes it
      auth: auth(alice),
    });
    await smtp.sendMail({ from: alice, to: [bob, carol], subject: "Implicit TLS" });
    expect((await m.waitForMessage({ to: carol, subject: "Implicit TLS" })).to).toEqual([
      bob,
      carol,
    ]);
    expect((await m.waitForMessage({ to: bob, subject: "Implicit TLS" })).subject).toBe(
      "Implicit TLS",
    );
  });

  it("runs beside another instance: its own ports, mailboxes and directory, gone after stop", async () => {
    const other = (await startMail({ users: ["alice"] })) as MailServer;
    try {
      expect(other.ports.smtp).not.toBe(m.ports.smtp);
      expect(other.dir).not.toBe(m.dir);
      const smtp = nodemailer.createTransport({
        host: other.host,
        port: other.ports.smtp,
        ignoreTLS: true,
      });
      await smtp.sendMail({ from: bob, to: alice, subject: "To the other server" });
      expect((await other.waitForMessage({ to: alice, subject: "other server" })).to).toEqual([
        alice,
      ]);
      const mine = await m.messages(alice);
      expect(mine.map((msg) => msg.subject)).not.toContain("To the other server");
    } finally {
      await other.stop();
    }
    expect(existsSync(other.dir)).toBe(false);
  });

  it("refuses a mailbox outside its domains, or one a passwd-file cannot hold", async () => {
    await expect(startMail({ users: ["eve@elsewhere.test"] })).rejects.toThrow(
      "mailbox eve@elsewhere.test: not an address of example.test",
    );
    await expect(
      startMail({ users: [{ address: "eve@example.test", password: "a:b" }] }),
    ).rejects.toThrow("mailbox eve@example.test: no colons or spaces");
  });

  it("refuses AUTH with a wrong password and mail without AUTH on the submission port", async () => {
    const base = { host: m.host, port: m.ports.submission, tls: { ca: m.ca } };
    const wrong = nodemailer.createTransport({ ...base, auth: { user: alice, pass: "wrong" } });
    await expect(wrong.sendMail({ from: alice, to: bob, subject: "x" })).rejects.toThrow(/535/);
    const anonymous = nodemailer.createTransport(base);
    await expect(anonymous.sendMail({ from: alice, to: bob, subject: "x" })).rejects.toThrow(
      /554 5\.7\.1/,
    );
  });

  it("refuses recipients it does not deliver: nothing leaves, even for a logged-in user", async () => {
    const plain = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    const unknown = plain.sendMail({ from: alice, to: "nobody@example.test", subject: "Lost" });
    await expect(unknown).rejects.toMatchObject({ responseCode: 550 });
    const relay = plain.sendMail({ from: alice, to: "someone@elsewhere.test", subject: "Out" });
    await expect(relay).rejects.toThrow(/Relay access denied/);
    const loggedIn = nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      tls: { ca: m.ca },
      auth: auth(alice),
    });
    const out = loggedIn.sendMail({ from: alice, to: "someone@elsewhere.test", subject: "Out" });
    await expect(out).rejects.toThrow(/nothing leaves this test mail server/);
    expect(m.log()).not.toMatch(/to=<someone@elsewhere\.test>.*status=/);
    expect((await m.messages(alice)).map((msg) => msg.subject)).not.toContain("Out");
  });
});
