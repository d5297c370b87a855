// mail.apply's virus scanning through a real agent against a hermetic Postfix + Dovecot whose
// Postfix uses a real rspamd as a milter, and rspamd's antivirus module a real clamd (its
// database one signature of the EICAR test file): the EICAR file attached to mail for a
// scanned domain is refused at SMTP naming the virus, with the spam filter off or on; a clean
// message is delivered; the same attachment to an unscanned domain is delivered as it came. A
// clamd that does not answer fails the apply's check and rspamd's previous files come back.
// rspamd starts once for the file (its first start compiles its regexps: 40-90 s under load).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import {
  type Clamd,
  EICAR,
  freePort,
  type MailServer,
  type Rspamd,
  startClamd,
  startMail,
  startRspamd,
} from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection, rspamdSection } from "../../testing/mail.ts";

const clamd = await startClamd();
const rspamd = clamd ? await startRspamd() : null;
const mail = rspamd ? await startMail({ managed: true, milterPort: rspamd.ports.milter }) : null;
const withClamd = (c: Clamd) => ({ clamd: `${c.host}:${c.port}` });
const agent =
  mail && rspamd && clamd
    ? await startTestAgent({
        mail: { ...mailSection(mail), rspamd: { ...rspamdSection(rspamd), ...withClamd(clamd) } },
      })
    : null;
// the same node, its agent.json naming no clamd, or a clamd that does not listen
const noClamd =
  mail && rspamd
    ? await startTestAgent({ mail: { ...mailSection(mail), rspamd: rspamdSection(rspamd) } })
    : null;
const deadClamd =
  mail && rspamd
    ? await startTestAgent({
        mail: {
          ...mailSection(mail),
          rspamd: { ...rspamdSection(rspamd), clamd: `127.0.0.1:${await freePort()}` },
        },
      })
    : null;
afterAll(async () => {
  await agent?.stop();
  await noClamd?.stop();
  await deadClamd?.stop();
  await mail?.stop();
  await rspamd?.stop();
  await clamd?.stop();
});

const PASSWORD = "virus-test-password-1";
const HASH = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", PASSWORD], {
  encoding: "utf8",
}).trim();
const box = (address: string) => ({ address, hash: HASH, quotaMb: 0, enabled: true });

const state = {
  domains: ["scan.test", "both.test", "open.test", "alpha.test"],
  mailboxes: [
    box("sam@scan.test"),
    box("bo@both.test"),
    box("ola@open.test"),
    box("al@alpha.test"),
  ],
  aliases: [],
  // alpha.test: filtered for spam, not scanned, and its rule's name sorts first
  spam: [
    { domain: "both.test", filter: "tag" },
    { domain: "alpha.test", filter: "tag" },
  ],
  virus: ["scan.test", "both.test"],
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

describe.skipIf(!agent)("mail.apply's virus scanning with a real rspamd and clamd", () => {
  const m = mail as MailServer;
  const r = rspamd as Rspamd;
  const a = agent as TestAgent;
  const localD = dirname(rspamdSection(r).settingsFile);
  const files = () =>
    ["settings.conf", "antivirus.conf"].map((f) =>
      existsSync(join(localD, f)) ? readFileSync(join(localD, f), "utf8") : "",
    );
  // as from outside: port 25, no authentication
  const send = (to: string, subject: string, attachment?: string) =>
    nodemailer
      .createTransport({
        host: m.host,
        port: m.ports.smtp,
        tls: { ca: m.ca, servername: m.hostname },
      })
      .sendMail({
        from: "sender@outside.test",
        to,
        subject,
        text: "See the attached file.",
        attachments: attachment ? [{ filename: "eicar.com", content: attachment }] : [],
      });
  const read = (to: string, subject: string) =>
    m.waitForMessage({ to, subject, password: PASSWORD, timeoutMs: 30_000 });

  it("refuses a virus at SMTP for scanned domains and delivers it for the others", async () => {
    const res = await apply(a, state);
    expect(res.result?.status, JSON.stringify(res.result?.error)).toBe("ok");
    const steps = res.result?.steps.map((s) => s.name) ?? [];
    expect(steps).toEqual(expect.arrayContaining(["rspamd reload", "virus scanning check"]));
    expect(files()[1]).toContain(`servers = "127.0.0.1:${(clamd as Clamd).port}";`);

    for (const to of ["sam@scan.test", "bo@both.test"])
      await expect(send(to, `A virus for ${to}`, EICAR)).rejects.toThrow(
        /^.*554 5\.7\.1 clamav: virus found: "Eicar-Test-Signature/,
      );
    // one recipient scanned is enough: the whole message is refused, whichever other domain's
    // rule rspamd would otherwise pick first
    await expect(send("al@alpha.test, sam@scan.test", "A virus for two", EICAR)).rejects.toThrow(
      /554 5\.7\.1 clamav: virus found/,
    );
    await send("sam@scan.test", "Clean for sam", "just some text, no virus");
    expect((await read("sam@scan.test", "Clean for sam")).raw).toContain("eicar.com");
    // not scanned: delivered with its attachment
    await send("ola@open.test", "A virus for ola", EICAR);
    const delivered = await read("ola@open.test", "A virus for ola");
    expect(delivered.raw).toContain(Buffer.from(EICAR).toString("base64").slice(0, 40));
    expect((await m.messages("sam@scan.test", PASSWORD)).map((x) => x.subject)).toEqual([
      "Clean for sam",
    ]);
    expect(
      (await (clamd as Clamd).log()).match(/Eicar-Test-Signature\.UNOFFICIAL FOUND/g)?.length,
    ).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it("changes nothing when applied again, and stops scanning a domain taken off", async () => {
    const again = await apply(a, state);
    expect(again.result?.status).toBe("ok");
    expect(again.result?.changed).toBe(false);
    const res = await apply(a, { ...state, virus: ["both.test"] });
    expect(res.result?.status, JSON.stringify(res.result?.error)).toBe("ok");
    await send("sam@scan.test", "A virus for sam, now let through", EICAR);
    await read("sam@scan.test", "A virus for sam, now let through");
    await expect(send("bo@both.test", "Still a virus", EICAR)).rejects.toThrow(/554 5\.7\.1/);
  }, 180_000);

  it("refuses hostile or foreign domains and a node without clamd, writing nothing", async () => {
    const before = files();
    for (const virus of [
      ["other.test"],
      ['scan.test"; servers = "10.0.0.1:3310'],
      ["scan.test\n}"],
      ["../scan.test"],
      ["scan.test\0"],
      [`${"a".repeat(250)}.test`],
    ]) {
      const res = await apply(a, { ...state, virus });
      expect(res.status, JSON.stringify(virus)).toBe(400);
      expect(JSON.stringify(res.error)).toContain("virus");
    }
    const res = await apply(noClamd as TestAgent, state);
    expect(res.result?.status).toBe("failed");
    expect(res.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
    expect(res.result?.error?.message).toContain("mail.rspamd.clamd");
    expect(files()).toEqual(before);
  }, 120_000);

  it("fails the check when clamd does not answer, and puts rspamd's files back", async () => {
    const before = files();
    const res = await apply(deadClamd as TestAgent, state);
    expect(res.result?.status).toBe("rolled_back");
    expect(res.result?.error?.code).toBe("VERIFY_FAILED");
    expect(res.result?.error?.message).toMatch(
      /^the EICAR test file to \S+ is not refused .*did not answer rspamd/,
    );
    expect(files()).toEqual(before);
    // the previous rules and clamd serve again once rspamd's workers have reloaded
    await expect
      .poll(
        () =>
          send("bo@both.test", "A virus after the rollback", EICAR).then(
            () => "delivered",
            (e: Error) => e.message,
          ),
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/554 5\.7\.1 clamav: virus found/);
  }, 120_000);
});
