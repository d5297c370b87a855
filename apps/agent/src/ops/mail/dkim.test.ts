// mail.dkim through a real agent against a hermetic Postfix whose milter is a real OpenDKIM
// reading Steward's tables: the key is made on the node (only its public part answered), a
// message submitted with AUTH and delivered locally carries a DKIM-Signature that OpenDKIM
// verifies against the key published in a real PowerDNS zone; a rotation signs with the new
// selector; a removed key's file goes; hostile selectors are refused with nothing written.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { txtRdata } from "@steward/contracts/dns";
import { dkimRecordText } from "@steward/contracts/mail";
import {
  type MailServer,
  type PowerDns,
  startMail,
  startPowerDns,
  verifyDkim,
} from "@steward/testkit";
import nodemailer from "nodemailer";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent, type TestAgent } from "../../testing/agent.ts";
import { mailSection } from "../../testing/mail.ts";

const mail = await startMail({ managed: true, dkim: true });
const pdns = mail ? await startPowerDns() : null;
const agent = mail ? await startTestAgent({ mail: mailSection(mail) }) : null;
afterAll(async () => {
  await agent?.stop();
  await pdns?.stop();
  await mail?.stop();
});

const PASSWORD = "dan-password-1";
const hash = execFileSync("/usr/bin/doveadm", ["pw", "-s", "ARGON2ID", "-p", PASSWORD], {
  encoding: "utf8",
}).trim();
const state = {
  domains: ["steward.test"],
  mailboxes: [{ address: "dan@steward.test", hash, quotaMb: 0, enabled: true }],
  aliases: [],
};

async function call(t: TestAgent, op: string, input: unknown) {
  const r = await t.call(`/v1/ops/${op}`, { body: { version: 1, input } });
  if (r.status !== 200) return { status: r.status, error: r.json() as Record<string, unknown> };
  const last = r
    .lines()
    .map((l) => opStreamLine.parse(l))
    .at(-1);
  if (last?.type !== "result") throw new Error("no result line");
  return { status: 200, result: last.result };
}

type Keys = { domain: string; selector: string; publicKey: string; created: boolean }[];

describe.skipIf(!mail || !pdns || !agent)(
  "mail.dkim against OpenDKIM, Postfix and PowerDNS",
  () => {
    const m = mail as MailServer;
    const dns = pdns as PowerDns;
    const a = agent as TestAgent;
    const dkimDir = join(m.managed?.configDir as string, "dkim");
    /** PowerDNS's API (what the DNS capability's provider writes through too) */
    const pdnsApi = async (method: string, path: string, body: unknown) => {
      const r = await fetch(`${dns.apiUrl}/api/v1/servers/localhost/zones${path}`, {
        method,
        headers: { "X-API-Key": dns.apiKey, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!r.ok) throw new Error(`PowerDNS ${method} ${path}: ${r.status} ${await r.text()}`);
    };
    const publish = (selector: string, publicKey: string) =>
      pdnsApi("PATCH", "/steward.test.", {
        rrsets: [
          {
            name: `${selector}._domainkey.steward.test.`,
            type: "TXT",
            ttl: 300,
            changetype: "REPLACE",
            records: [{ content: txtRdata(dkimRecordText(publicKey)), disabled: false }],
          },
        ],
      });
    const send = async (subject: string) => {
      await nodemailer
        .createTransport({
          host: m.host,
          port: m.ports.submission,
          requireTLS: true,
          tls: { ca: m.ca, servername: m.hostname },
          auth: { user: "dan@steward.test", pass: PASSWORD },
        })
        .sendMail({ from: "dan@steward.test", to: "dan@steward.test", subject, text: "signed" });
      return m.waitForMessage({ to: "dan@steward.test", password: PASSWORD, subject });
    };
    const dkim = async (keys: { selector: string; sign: boolean }[]) => {
      const r = await call(a, "mail.dkim", {
        keys: keys.map((k) => ({ domain: "steward.test", ...k })),
      });
      expect(r.result?.status, JSON.stringify(r.result?.error ?? r.error)).toBe("ok");
      return (r.result?.output as { keys: Keys } | undefined)?.keys ?? [];
    };

    it("makes the key on the node, and a message sent with AUTH verifies against the published key", async () => {
      expect((await call(a, "mail.apply", state)).result?.status).toBe("ok");
      await pdnsApi("POST", "", {
        name: "steward.test.",
        kind: "Native",
        nameservers: ["ns1.steward.test."],
      });
      const [key] = await dkim([{ selector: "s1", sign: true }]);
      expect(key).toMatchObject({ selector: "s1", created: true });
      const file = join(dkimDir, "keys", "steward.test", "s1.private");
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, "utf8")).toMatch(/BEGIN RSA PRIVATE KEY/);
      // the answer carries the public part only: 2048-bit RSA SubjectPublicKeyInfo, base64
      expect(Buffer.from(key?.publicKey as string, "base64").length).toBe(294);
      expect(readFileSync(join(dkimDir, "KeyTable"), "utf8")).toBe(
        `s1._domainkey.steward.test steward.test:s1:${file}\n`,
      );
      await publish("s1", key?.publicKey as string);
      const got = await send("Signed mail");
      expect(got.raw).toMatch(/^DKIM-Signature: .*d=steward\.test; s=s1;/m);
      const verdict = await verifyDkim(got.raw, dns.resolver);
      expect(verdict.ok, verdict.output).toBe(true);
      // the verifier is not vacuous: a changed body fails
      const tampered = await verifyDkim(got.raw.replace("signed", "forged"), dns.resolver);
      expect(tampered.ok, tampered.output).toBe(false);
    });

    it("keeps a key as it is when applied again", async () => {
      const r = await call(a, "mail.dkim", {
        keys: [{ domain: "steward.test", selector: "s1", sign: true }],
      });
      expect(r.result?.changed).toBe(false);
    });

    it("rotates to a new selector (the old key kept), then removes the old one", async () => {
      const keys = await dkim([
        { selector: "s1", sign: false },
        { selector: "s2", sign: true },
      ]);
      expect(keys.map((k) => [k.selector, k.created])).toEqual([
        ["s1", false],
        ["s2", true],
      ]);
      await publish("s2", keys[1]?.publicKey as string);
      const got = await send("Rotated");
      expect(got.raw).toMatch(/^DKIM-Signature: .*s=s2;/m);
      expect((await verifyDkim(got.raw, dns.resolver)).ok).toBe(true);
      await dkim([{ selector: "s2", sign: true }]);
      expect(existsSync(join(dkimDir, "keys", "steward.test", "s1.private"))).toBe(false);
      expect(readFileSync(join(dkimDir, "SigningTable"), "utf8")).toBe(
        "steward.test s2._domainkey.steward.test\n",
      );
    });

    it("refuses hostile selectors and domains at the agent's wall and writes nothing", async () => {
      const before = readFileSync(join(dkimDir, "KeyTable"), "utf8");
      for (const selector of [
        "../x",
        "a\nb",
        "x".repeat(64),
        "_domainkey",
        "a._domainkey.evil",
        "A",
        "a b",
        "",
      ]) {
        const r = await call(a, "mail.dkim", {
          keys: [{ domain: "steward.test", selector, sign: true }],
        });
        expect(r.status, selector).toBe(400);
      }
      for (const domain of ["../etc", "steward.test\n*", "a:b.test"]) {
        const r = await call(a, "mail.dkim", { keys: [{ domain, selector: "s3", sign: true }] });
        expect(r.status, domain).toBe(400);
      }
      const twoSigners = await call(a, "mail.dkim", {
        keys: [
          { domain: "steward.test", selector: "s2", sign: true },
          { domain: "steward.test", selector: "s3", sign: true },
        ],
      });
      expect(twoSigners.status).toBe(400);
      expect(readFileSync(join(dkimDir, "KeyTable"), "utf8")).toBe(before);
    });

    it("puts the files back when opendkim.conf does not read Steward's tables", async () => {
      const config = m.managed?.opendkim?.config as string;
      const original = readFileSync(config, "utf8");
      writeFileSync(config, original.replace(/^KeyTable .*$/m, "KeyTable /etc/elsewhere"));
      try {
        const r = await call(a, "mail.dkim", {
          keys: [{ domain: "steward.test", selector: "s3", sign: true }],
        });
        expect(r.result?.status).toBe("failed");
        expect(r.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
        expect(existsSync(join(dkimDir, "keys", "steward.test", "s3.private"))).toBe(false);
        expect(readFileSync(join(dkimDir, "SigningTable"), "utf8")).toContain("s2._domainkey");
      } finally {
        writeFileSync(config, original);
      }
    });
  },
);
