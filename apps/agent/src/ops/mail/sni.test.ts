// Several mail certificates on one node by SNI (docs/mail.md#tls), through a real agent
// against a hermetic Postfix + Dovecot: a client naming a site's name in its TLS handshake
// gets that site's certificate over STARTTLS on SMTP (25 and 587), implicit TLS (465) and
// IMAP, a client naming none (or another name) gets the node's mail certificate; a renewal
// of one site re-installs that site's files only; a site left out is no longer served;
// hostile SNI entries are refused at the agent's wall with nothing written.

import { X509Certificate } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { opStreamLine } from "@steward/contracts/agent";
import { startMail, testChain } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { startTestAgent } from "../../testing/agent.ts";
import { mailSection, starttlsServed as served } from "../../testing/mail.ts";

const mail = await startMail({ managed: true });
const tlsDir = mail ? join(mail.dir, "sites-tls") : "";
const agent = mail ? await startTestAgent({ mail: mailSection(mail), tlsDir }) : null;
afterAll(async () => {
  await agent?.stop();
  await mail?.stop();
});

/** What cert.install leaves for a site: <tlsDir>/<id>/key.pem and fullchain.pem. */
async function install(id: string, host: string) {
  const chain = await testChain({ hosts: [host] });
  const dir = join(tlsDir, id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pem = (...blocks: string[]) => blocks.map((b) => `${b.trim()}\n`).join("");
  writeFileSync(join(dir, "key.pem"), pem(chain.key), { mode: 0o600 });
  writeFileSync(join(dir, "fullchain.pem"), pem(chain.leaf, chain.intermediate));
  return chain.serial;
}

const state = (sni: unknown) => ({
  domains: ["a.test", "b.test"],
  mailboxes: [],
  aliases: [],
  certificate: { id: "site_default" },
  sni,
});
const BOTH = [
  { id: "site_a", names: ["mail.a.test"] },
  { id: "site_b", names: ["mail.b.test", "b.test"] },
];

describe.skipIf(!mail || !agent)("mail certificates by SNI", () => {
  const m = mail as NonNullable<typeof mail>;
  const a = agent as NonNullable<typeof agent>;
  const configDir = m.managed?.configDir as string;
  const sniDir = join(configDir, "tls", "sni");
  const steward = () =>
    Object.fromEntries(
      [...readdirSync(sniDir).map((f) => join("tls", "sni", f)), "sni", "sni-dovecot.conf"].map(
        (f) => [f, readFileSync(join(configDir, f), "utf8")],
      ),
    );

  async function apply(input: unknown) {
    const r = await a.call("/v1/ops/mail.apply", { body: { version: 1, input } });
    if (r.status !== 200) return { status: r.status, error: JSON.stringify(r.json()) };
    const last = r
      .lines()
      .map((l) => opStreamLine.parse(l))
      .at(-1);
    if (last?.type !== "result") throw new Error("no result line");
    return { status: 200, result: last.result };
  }
  const serials = { default: "", a: "", b: "" };

  it("serves each site's certificate to a client naming it, and the default to the rest", async () => {
    serials.default = await install("site_default", "mail.default.test");
    serials.a = await install("site_a", "mail.a.test");
    serials.b = await install("site_b", "mail.b.test");
    const r = await apply(state(BOTH));
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(r.result?.output).toMatchObject({
      tlsSerial: serials.default,
      sniSerials: [
        { id: "site_a", serial: serials.a },
        { id: "site_b", serial: serials.b },
      ],
    });
    expect(r.result?.steps.map((x) => x.name)).toEqual(
      expect.arrayContaining([
        "doveadm reload",
        `verify: STARTTLS serves certificate ${serials.a} to mail.a.test`,
      ]),
    );
    for (const [proto, port] of [
      ["smtp", m.ports.smtp],
      ["smtp", m.ports.submission],
      ["smtps", m.ports.smtps],
      ["imap", m.ports.imap],
    ] as const) {
      expect(served(proto, port, "mail.a.test"), `${proto} ${port}`).toBe(serials.a);
      expect(served(proto, port, "mail.b.test"), `${proto} ${port}`).toBe(serials.b);
      expect(served(proto, port, "b.test"), `${proto} ${port}`).toBe(serials.b);
      expect(served(proto, port), `${proto} ${port}`).toBe(serials.default);
      expect(served(proto, port, "unknown.a.test"), `${proto} ${port}`).toBe(serials.default);
    }
    expect(statSync(join(sniDir, "site_a.key")).mode & 0o777).toBe(0o600);
    expect(statSync(join(sniDir, "site_a.pem")).mode & 0o777).toBe(0o600);
    const again = await apply(state(BOTH));
    expect(again.result?.changed).toBe(false);
  }, 120_000);

  it("re-installs only the renewed site's certificate", async () => {
    const aBefore = statSync(join(sniDir, "site_a.pem")).mtimeMs;
    const renewed = await install("site_b", "mail.b.test");
    expect(renewed).not.toBe(serials.b);
    const r = await apply(state(BOTH));
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(r.result?.changed).toBe(true);
    expect(statSync(join(sniDir, "site_a.pem")).mtimeMs).toBe(aBefore);
    expect(served("smtp", m.ports.smtp, "mail.b.test")).toBe(renewed);
    expect(served("imap", m.ports.imap, "b.test")).toBe(renewed);
    expect(served("smtp", m.ports.smtp, "mail.a.test")).toBe(serials.a);
    serials.b = renewed;
  });

  it("serves the default to a site's names once the site is left out, and forgets its files", async () => {
    const r = await apply(state(BOTH.slice(0, 1)));
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    expect(readdirSync(sniDir).sort()).toEqual(["site_a.crt", "site_a.key", "site_a.pem"]);
    expect(served("smtp", m.ports.smtp, "mail.b.test")).toBe(serials.default);
    expect(served("imap", m.ports.imap, "mail.b.test")).toBe(serials.default);
    expect(served("imap", m.ports.imap, "mail.a.test")).toBe(serials.a);
  });

  it("refuses hostile SNI entries at the agent's wall and writes nothing", async () => {
    const before = steward();
    const names = [
      "other.test", // not one of the domains
      "a.test.other.test",
      "xa.test",
      "mail.a.test\n",
      "mail.a.test;",
      "mail.a.test }",
      "`mail`.a.test",
      "mail.a.test --",
      "*.a.test",
      "../a.test",
      "mail.a.test\u0000",
      `${"a".repeat(200)}.a.test`,
      "",
    ];
    for (const name of names) {
      const r = await apply(state([{ id: "site_a", names: [name] }]));
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.error, JSON.stringify(name)).toMatch(/sni/);
    }
    const outside = await apply(state([{ id: "site_a", names: ["mail.other.test"] }]));
    expect(outside.error).toContain("mail.other.test is neither one of the domains nor under one");
    for (const sni of [
      [{ id: "../site_a", names: ["mail.a.test"] }],
      [{ id: "site_a;x", names: ["mail.a.test"] }],
      [{ id: "site_a", names: [] }],
      [{ id: "site_a", names: ["mail.a.test", "mail.a.test"] }],
      [BOTH[0], { id: "site_b", names: ["mail.a.test"] }],
      [BOTH[0], BOTH[0]],
    ]) {
      const r = await apply(state(sni));
      expect(r.status, JSON.stringify(sni)).toBe(400);
      expect(r.error, JSON.stringify(sni)).toMatch(/sni/);
    }
    const missing = await apply(state([{ id: "site_none", names: ["mail.a.test"] }]));
    expect(missing.result?.error?.code).toBe("CERTIFICATE_INVALID");
    expect(steward()).toEqual(before);
    expect(served("smtp", m.ports.smtp, "mail.a.test")).toBe(serials.a);
  });

  it("says which line main.cf lacks when Postfix does not read Steward's SNI map", async () => {
    const main = join(m.managed?.postfixConfigDir as string, "main.cf");
    const original = readFileSync(main, "utf8");
    const before = steward();
    try {
      writeFileSync(main, original.replace(/^tls_server_sni_maps = .*$/m, ""));
      const r = await apply(state(BOTH));
      expect(r.result?.error?.code).toBe("MAIL_NOT_CONFIGURED");
      expect(r.result?.error?.message).toContain(
        `add texthash:${join(configDir, "sni")} to it in main.cf`,
      );
      expect(steward()).toEqual(before);
    } finally {
      writeFileSync(main, original);
    }
  });
  it("puts the node's own certificate back when no site's is every client's (a shared node)", async () => {
    const r = await apply({ ...state(BOTH), certificate: null });
    expect(r.result?.status, JSON.stringify(r.result?.error)).toBe("ok");
    const own = (r.result?.output as { tlsSerial?: string } | undefined)?.tlsSerial ?? "";
    expect(own).toMatch(/^[0-9A-F]+$/);
    expect(own).not.toBe(serials.default);
    for (const [proto, port] of [
      ["smtp", m.ports.smtp],
      ["imap", m.ports.imap],
    ] as const) {
      expect(served(proto, port), `${proto} ${port}`).toBe(own);
      expect(served(proto, port, "mail.a.test"), `${proto} ${port}`).toBe(serials.a);
    }
    // self-signed for the host name, its key root's alone; made once
    const cert = readFileSync(join(configDir, "tls", "own-cert.pem"), "utf8");
    expect(new X509Certificate(cert).subject).toMatch(/^CN=/);
    expect(statSync(join(configDir, "tls", "own-key.pem")).mode & 0o777).toBe(0o600);
    expect((await apply({ ...state(BOTH), certificate: null })).result?.changed).toBe(false);
    // a site's again: the marker says so, and null puts the same own certificate back
    expect((await apply(state(BOTH))).result?.status).toBe("ok");
    expect(served("smtp", m.ports.smtp)).toBe(serials.default);
    const back = await apply({ ...state(BOTH), certificate: null });
    expect((back.result?.output as { tlsSerial?: string } | undefined)?.tlsSerial).toBe(own);
  }, 120_000);
});
