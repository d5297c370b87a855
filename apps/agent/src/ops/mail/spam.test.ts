// mail.apply's spam filter through a real agent against a hermetic Postfix + Dovecot whose
// Postfix uses a real rspamd (its proxy worker) as a milter and whose LMTP runs Steward's
// Junk rule: spam to a tagging domain lands in Junk with `X-Spam: Yes`, to a rejecting
// domain is refused at SMTP; a plain message lands in INBOX; the same scored message is
// tagged for a filtering domain and left alone for an unfiltered one. Then the Junk
// retention (mail.junk.expunge): a message dated 40 days back goes, a newer one stays.
// rspamd starts once for the file (its first start compiles its regexps: 40-90 s under load).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { type MailServer, type Rspamd, startMail, startRspamd } from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection, rspamdSection } from "../../testing/mail.ts";

/** rspamd's test patterns: X is rejected, Y gets a header (the testkit enables Y) */
const GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
const GTUBE_TAG = "YJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

const rspamd = await startRspamd();
const mail = rspamd ? await startMail({ managed: true, milterPort: rspamd.ports.milter }) : null;
const agent =
  mail && rspamd
    ? await startTestAgent({
        mail: { ...mailSection(mail), rspamd: rspamdSection(rspamd) },
        tlsDir: join(mail.dir, "sites-tls"),
      })
    : null;
afterAll(async () => {
  await agent?.stop();
  await mail?.stop();
  await rspamd?.stop();
});

const PASSWORD = "spam-test-password-1";
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", PASSWORD], {
  encoding: "utf8",
}).trim();
const box = (address: string) => ({ address, hash: HASH, quotaMb: 0, enabled: true });

const state = {
  domains: ["tag.test", "reject.test", "plain.test"],
  mailboxes: [box("ann@tag.test"), box("rob@reject.test"), box("pia@plain.test")],
  aliases: [],
  spam: [
    { domain: "tag.test", filter: "tag" },
    { domain: "reject.test", filter: "reject" },
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

describe.skipIf(!agent)("mail.apply's spam filter with a real rspamd", () => {
  const m = mail as MailServer;
  const r = rspamd as Rspamd;
  const a = agent as TestAgent;
  const settings = () => readFileSync(rspamdSection(r).settingsFile, "utf8");
  // as from outside: port 25, no authentication
  const send = (to: string, subject: string, text: string) =>
    nodemailer
      .createTransport({
        host: m.host,
        port: m.ports.smtp,
        tls: { ca: m.ca, servername: m.hostname },
      })
      .sendMail({ from: "sender@outside.test", to, subject, text });
  const read = (to: string, subject: string, folder = "INBOX") =>
    m.waitForMessage({ to, subject, password: PASSWORD, folder, timeoutMs: 30_000 });

  it("tags spam into Junk, refuses it at SMTP, or lets it through, per domain", async () => {
    const res = await apply(a, state);
    expect(res.result?.status, JSON.stringify(res.result?.error)).toBe("ok");
    const steps = res.result?.steps.map((s) => s.name) ?? [];
    expect(steps).toEqual(
      expect.arrayContaining(["sievec", "rspamadm configtest", "rspamd reload", "rspamd check"]),
    );
    expect(settings()).toContain('rcpt = "@tag.test";');

    await send("ann@tag.test", "Junk for ann", GTUBE_TAG);
    await send("ann@tag.test", "Lunch on Friday", "Shall we meet at noon?");
    const junk = await read("ann@tag.test", "Junk for ann", "Junk");
    expect(junk.raw).toMatch(/^X-Spam: Yes\r?$/m);
    const plain = await read("ann@tag.test", "Lunch on Friday");
    expect(plain.raw).not.toMatch(/^X-Spam: Yes/m);
    expect((await m.messages("ann@tag.test", PASSWORD)).map((x) => x.subject)).toEqual([
      "Lunch on Friday",
    ]);

    await expect(send("rob@reject.test", "Spam for rob", GTUBE)).rejects.toThrow(
      /554 5\.7\.1 Gtube pattern/,
    );
    await send("rob@reject.test", "Hello rob", "A plain message.");
    await read("rob@reject.test", "Hello rob");

    // not filtered: delivered as it came
    await send("pia@plain.test", "Hello pia", "A plain message.");
    expect((await read("pia@plain.test", "Hello pia")).raw).not.toMatch(/^X-Spam:/m);
    // the same message scored alike (8: no date, no Message-ID, no reverse DNS): over the
    // add-header score for the tagging domain, no action for the unfiltered one
    const scan = async (to: string) => {
      const res = await fetch(`http://127.0.0.1:${r.ports.normal}/checkv2`, {
        method: "POST",
        headers: { Rcpt: to, Ip: "192.0.2.1" },
        body: `From: a@b.invalid\r\nTo: ${to}\r\nSubject: t\r\n\r\nhello there\r\n`,
      });
      return (await res.json()) as { action: string; score: number };
    };
    const [tagged, unfiltered] = [await scan("ann@tag.test"), await scan("pia@plain.test")];
    expect(tagged.score).toBe(unfiltered.score);
    expect(tagged.score).toBeGreaterThanOrEqual(6);
    expect([tagged.action, unfiltered.action]).toEqual(["add header", "no action"]);
  }, 240_000);

  it("changes nothing when applied again", async () => {
    const res = await apply(a, state);
    expect(res.result?.status).toBe("ok");
    expect(res.result?.changed).toBe(false);
  }, 120_000);

  it("expunges Junk messages older than the domain's days, and keeps newer ones", async () => {
    const day = 86_400_000;
    const raw = (subject: string) =>
      `From: x@outside.test\r\nTo: ann@tag.test\r\nSubject: ${subject}\r\n\r\nold junk\r\n`;
    const junk = { address: "ann@tag.test", password: PASSWORD, folder: "Junk" };
    await m.append(junk, raw("Forty days old"), new Date(Date.now() - 40 * day));
    await m.append(junk, raw("Ten days old"), new Date(Date.now() - 10 * day));
    const subjects = async () =>
      (await m.messages("ann@tag.test", PASSWORD, "Junk")).map((x) => x.subject).sort();
    expect(await subjects()).toEqual(["Forty days old", "Junk for ann", "Ten days old"]);
    const expunge = (domains: unknown) =>
      a.call("/v1/ops/mail.junk.expunge", { body: { version: 1, input: { domains } } });
    const res = await expunge([
      { domain: "tag.test", days: 30 },
      { domain: "plain.test", days: 30 },
    ]);
    const last = res
      .lines()
      .map((l) => opStreamLine.parse(l))
      .at(-1);
    if (last?.type !== "result") throw new Error("no result line");
    expect(last.result.status, JSON.stringify(last.result.error)).toBe("ok");
    expect(last.result.output).toEqual({
      expunged: [
        { domain: "tag.test", messages: 1 },
        { domain: "plain.test", messages: 0 },
      ],
    });
    expect(await subjects()).toEqual(["Junk for ann", "Ten days old"]);
    // hostile input: refused before doveadm runs
    for (const domains of [
      [{ domain: "*", days: 30 }],
      [{ domain: "tag.test", days: 0 }],
      [{ domain: "tag.test\nmailbox INBOX", days: 30 }],
    ]) {
      const bad = await expunge(domains);
      expect(bad.status, JSON.stringify(domains)).toBe(400);
    }
    expect(await subjects()).toEqual(["Junk for ann", "Ten days old"]);
  }, 120_000);

  it("refuses a filter for a domain it does not serve, or an unknown mode, writing nothing", async () => {
    const before = settings();
    for (const spam of [
      [{ domain: "other.test", filter: "tag" }],
      [{ domain: "tag.test", filter: "quarantine" }],
      [{ domain: 'tag.test"; reject = 0; x="', filter: "tag" }],
      [{ domain: "tag.test\n}", filter: "tag" }],
    ]) {
      const res = await apply(a, { ...state, spam });
      expect(res.status, JSON.stringify(spam)).toBe(400);
      expect(JSON.stringify(res.error)).toContain("spam");
    }
    expect(settings()).toBe(before);
  });
});
