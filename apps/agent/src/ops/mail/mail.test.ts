// mail.apply through a real agent (mTLS, the operation route) against a hermetic Postfix +
// Dovecot that reads Steward's files: a new mailbox takes authenticated submission and
// delivery, read back over IMAP; aliases, a catch-all and a forward (bounced by the test
// server's error transport: nothing leaves); a quota Dovecot enforces; a removed or disabled
// mailbox refused at RCPT and at login; no open relay; hostile input refused at the agent's
// wall; a failed check puts the files back.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { type MailServer, startMail } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection, starttlsServed as served } from "../../testing/mail.ts";

const mail = await startMail({ managed: true });
const managed = mail?.managed;
const agent = mail
  ? await startTestAgent({ mail: mailSection(mail), tlsDir: join(mail.dir, "sites-tls") })
  : null;
afterAll(async () => {
  await agent?.stop();
  await mail?.stop();
});

/** Dovecot's own hasher makes the hashes (the panel computes the same scheme itself). */
const hash = (password: string) =>
  execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", password], {
    encoding: "utf8",
  }).trim();
const PASSWORDS = { dan: "dan-password-1", erin: "erin-password-1", full: "full-password-1" };
const HASHES = Object.fromEntries(Object.entries(PASSWORDS).map(([k, p]) => [k, hash(p)]));

const box = (address: string, key: keyof typeof PASSWORDS, quotaMb = 0, enabled = true) => ({
  address,
  hash: HASHES[key] as string,
  quotaMb,
  enabled,
});

const state = {
  domains: ["steward.test", "catch.test"],
  mailboxes: [
    box("dan@steward.test", "dan"),
    box("erin@catch.test", "erin"),
    box("full@steward.test", "full", 1),
  ],
  aliases: [
    { source: "sales@steward.test", destinations: ["dan@steward.test", "erin@catch.test"] },
    { source: "fwd@steward.test", destinations: ["someone@outside.test"] },
    { source: "@catch.test", destinations: ["dan@steward.test"] },
  ],
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

describe.skipIf(!mail || !agent)("mail.apply against Postfix and Dovecot", () => {
  const m = mail as MailServer;
  const a = agent as TestAgent;
  const dir = managed?.configDir as string;
  const files = () =>
    ["domains", "mailboxes", "aliases", "users"].map((f) => readFileSync(join(dir, f), "utf8"));
  const submit = (user: keyof typeof PASSWORDS, address: string) =>
    nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      requireTLS: true,
      tls: { ca: m.ca, servername: m.hostname },
      auth: { user: address, pass: PASSWORDS[user] },
    });

  it("serves new mailboxes: RCPT accepted, AUTH submission delivered and read over IMAP", async () => {
    const r = await apply(a, state);
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(r.result?.changed).toBe(true);
    const output = r.result?.output as { accepted: string[]; refused: string[] };
    expect(output.accepted).toEqual(
      expect.arrayContaining(["dan@steward.test", "erin@catch.test", "sales@steward.test"]),
    );
    const steps = r.result?.steps.map((s) => s.name) ?? [];
    expect(steps).toEqual(
      expect.arrayContaining(["postconf", "postfix check", "doveconf -n", "postfix reload"]),
    );
    // one doveadm user for every new mailbox, each a name after `--`
    const asked = r.result?.steps.filter((x) => x.name.startsWith("doveadm user")) ?? [];
    expect(asked.at(-1)?.command).toEqual(
      expect.arrayContaining(["user", "--", "dan@steward.test", "full@steward.test"]),
    );
    expect(files()[3]).toMatch(/^dan@steward\.test:\{ARGON2ID\}\$argon2id\$/m);
    expect(files()[3]).not.toContain(PASSWORDS.dan);
    await submit("dan", "dan@steward.test").sendMail({
      from: "dan@steward.test",
      to: "erin@catch.test",
      subject: "First mail",
      text: "hello erin",
    });
    const got = await m.waitForMessage({
      to: "erin@catch.test",
      password: PASSWORDS.erin,
      subject: "First mail",
    });
    expect(got.text.trim()).toBe("hello erin");
    expect(got.raw).toMatch(/with ESMTPSA/);
    // the Maildir is under the mail root, in the domain's directory
    expect(
      execFileSync("ls", [join(managed?.mailRoot as string, "catch.test", "erin")], {
        encoding: "utf8",
      }),
    ).toContain("Maildir");
  });

  it("runs postfix check again only when main.cf or master.cf changed since it passed", async () => {
    const names = (r: Awaited<ReturnType<typeof apply>>) => r.result?.steps.map((s) => s.name);
    const more = { ...state, mailboxes: [...state.mailboxes, box("gus@steward.test", "dan")] };
    const added = await apply(a, more);
    expect(added.result?.status).toBe("ok");
    expect(names(added)).not.toContain("postfix check");
    expect(names(added)).toContain("postfix reload");
    const mainCf = join(managed?.postfixConfigDir as string, "main.cf");
    const later = new Date(Date.now() + 5_000);
    utimesSync(mainCf, later, later);
    const removed = await apply(a, state);
    expect(removed.result?.status).toBe("ok");
    expect(names(removed)).toContain("postfix check");
  });

  it("changes nothing when applied again as it is", async () => {
    const r = await apply(a, state);
    expect(r.result?.status).toBe("ok");
    expect(r.result?.changed).toBe(false);
  });

  it("delivers an alias to each destination, a catch-all to its target, and bounces a forward out", async () => {
    const plain = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    await plain.sendMail({ from: "x@outside.test", to: "sales@steward.test", subject: "To sales" });
    await plain.sendMail({ from: "x@outside.test", to: "anyone@catch.test", subject: "Caught" });
    await plain.sendMail({ from: "x@outside.test", to: "fwd@steward.test", subject: "Forwarded" });
    const dan = { to: "dan@steward.test", password: PASSWORDS.dan };
    await m.waitForMessage({ ...dan, subject: "To sales" });
    await m.waitForMessage({
      to: "erin@catch.test",
      password: PASSWORDS.erin,
      subject: "To sales",
    });
    await m.waitForMessage({ ...dan, subject: "Caught" });
    // erin's own address in the catch-all domain stays hers
    expect(
      (await m.messages("erin@catch.test", PASSWORDS.erin)).map((x) => x.subject),
    ).not.toContain("Caught");
    // the forward was expanded and handed to the error transport: nothing left this server
    await expect
      .poll(() => m.log(), { timeout: 10_000 })
      .toMatch(/to=<someone@outside\.test>, orig_to=<fwd@steward\.test>.*status=bounced/);
  });

  it("enforces a mailbox's quota: a message over it is refused by Dovecot, not stored", async () => {
    const plain = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    const big = "x".repeat(76).concat("\n").repeat(20_000); // ~1.5 MiB
    await plain.sendMail({
      from: "x@outside.test",
      to: "full@steward.test",
      subject: "Too big",
      text: big,
    });
    await expect
      .poll(() => m.log(), { timeout: 10_000 })
      .toMatch(/to=<full@steward\.test>.*status=(bounced|deferred).*[Qq]uota/);
    const inbox = await m.messages("full@steward.test", PASSWORDS.full);
    expect(inbox.map((x) => x.subject)).not.toContain("Too big");
    const quota = execFileSync(
      "/usr/bin/doveadm",
      [
        "-c",
        managed?.dovecotConfig as string,
        "-f",
        "tab",
        "quota",
        "get",
        "-u",
        "full@steward.test",
      ],
      { encoding: "utf8" },
    );
    expect(quota).toMatch(/STORAGE\t\d+\t1024\t/);
  });

  it("is no open relay and requires authentication for submission", async () => {
    const plain = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    await expect(
      plain.sendMail({ from: "a@outside.test", to: "b@elsewhere.test", subject: "Relay?" }),
    ).rejects.toThrow(/Relay access denied/);
    const anonymous = nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      tls: { ca: m.ca },
    });
    await expect(
      anonymous.sendMail({ from: "dan@steward.test", to: "erin@catch.test", subject: "x" }),
    ).rejects.toThrow(/554 5\.7\.1/);
    const wrong = nodemailer.createTransport({
      host: m.host,
      port: m.ports.submission,
      tls: { ca: m.ca },
      auth: { user: "dan@steward.test", pass: "not-the-password" },
    });
    await expect(
      wrong.sendMail({ from: "dan@steward.test", to: "erin@catch.test", subject: "x" }),
    ).rejects.toThrow(/535/);
  });

  it("refuses a removed mailbox and a disabled one at RCPT, and the disabled one at login", async () => {
    const next = {
      domains: ["steward.test", "catch.test"],
      mailboxes: [box("dan@steward.test", "dan", 0, false), box("erin@catch.test", "erin")],
      aliases: [{ source: "sales@steward.test", destinations: ["erin@catch.test"] }],
    };
    const r = await apply(a, next);
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    const output = r.result?.output as { accepted: string[]; refused: string[] };
    expect(output.refused).toEqual(
      expect.arrayContaining(["dan@steward.test", "full@steward.test", "fwd@steward.test"]),
    );
    const plain = nodemailer.createTransport({ host: m.host, port: m.ports.smtp, ignoreTLS: true });
    await expect(
      plain.sendMail({ from: "x@outside.test", to: "full@steward.test", subject: "Gone" }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      submit("dan", "dan@steward.test").sendMail({
        from: "dan@steward.test",
        to: "erin@catch.test",
      }),
    ).rejects.toThrow(/535/);
    // back as it was for the next tests
    const back = await apply(a, state);
    expect(back.result?.status, JSON.stringify(back.result?.error)).toBe("ok");
  });

  it("refuses hostile values at the agent's wall and writes nothing", async () => {
    const before = files();
    const hostile = [
      "dan\n@steward.test",
      "dan%evil@steward.test",
      "dan!host@steward.test",
      '"dan"@steward.test',
      "d..an@steward.test",
      "dan #x@steward.test",
      "dan:x@steward.test",
      `${"a".repeat(300)}@steward.test`,
      "dan@steward.test\u0000",
    ];
    for (const address of hostile) {
      const r = await apply(a, { ...state, mailboxes: [{ ...state.mailboxes[0], address }] });
      expect(r.status, address).toBe(400);
      expect(JSON.stringify(r.error)).toMatch(/mailboxes/);
    }
    const badHash = await apply(a, {
      ...state,
      mailboxes: [{ ...state.mailboxes[0], hash: "{PLAIN}secret\nroot::0:0" }],
    });
    expect(badHash.status).toBe(400);
    const foreign = await apply(a, {
      ...state,
      aliases: [{ source: "x@other.test", destinations: ["dan@steward.test"] }],
    });
    expect(foreign.status).toBe(400);
    expect(files()).toEqual(before);
  });

  it("puts the files back when Postfix does not read Steward's files", async () => {
    const wrong = await startTestAgent({
      mail: { ...mailSection(m), configDir: join(m.dir, "elsewhere") },
    });
    try {
      const r = await apply(wrong, state);
      expect(r.result?.status).toBe("failed");
      expect(r.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
      expect(r.result?.error?.message).toMatch(/virtual_mailbox_domains does not read/);
      expect(() => readFileSync(join(m.dir, "elsewhere", "domains"))).toThrow(/ENOENT/);
    } finally {
      await wrong.stop();
    }
  });

  it("serves a site's certificate over STARTTLS (SMTP and IMAP), and its renewal", async () => {
    const site = join(m.dir, "sites-tls", "site_mail");
    const install = (serial: string) => {
      mkdirSync(site, { recursive: true, mode: 0o700 });
      execFileSync(
        "openssl",
        [
          ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
          ...["-keyout", join(site, "key.pem"), "-out", join(site, "fullchain.pem")],
          ...["-days", "2", "-subj", "/CN=mail.steward.test", "-set_serial", `0x${serial}`],
        ],
        { stdio: "ignore" },
      );
    };
    install("51A1");
    const first = await apply(a, { ...state, certificate: { id: "site_mail" } });
    expect(first.result?.status, JSON.stringify(first.result?.error)).toBe("ok");
    expect(first.result?.output).toMatchObject({ tlsSerial: "51A1" });
    expect(first.result?.steps.map((x) => x.name)).toEqual(
      expect.arrayContaining(["doveadm reload"]),
    );
    expect(served("smtp", m.ports.smtp)).toBe("51A1");
    expect(served("imap", m.ports.imap)).toBe("51A1");
    // the renewal: a new certificate in the site's place, the same state applied again
    install("52B2");
    const renewed = await apply(a, { ...state, certificate: { id: "site_mail" } });
    expect(renewed.result?.changed).toBe(true);
    expect(renewed.result?.output).toMatchObject({ tlsSerial: "52B2" });
    expect(served("smtp", m.ports.submission)).toBe("52B2");
    expect(served("imap", m.ports.imap)).toBe("52B2");
    const missing = await apply(a, { ...state, certificate: { id: "site_none" } });
    expect(missing.result?.error?.code).toBe("CERTIFICATE_INVALID");
    expect(served("smtp", m.ports.smtp)).toBe("52B2");
  });

  it("says so on a node that serves no mail", async () => {
    const none = await startTestAgent();
    try {
      const r = await apply(none, state);
      expect(r.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
    } finally {
      await none.stop();
    }
  });
});
