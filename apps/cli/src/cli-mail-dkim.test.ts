// The real `steward` CLI as a child process: a mail domain's DKIM and its DNS check. No
// worker or agent here (modules/mail/mail-dkim-api.test.ts makes the key on a real node): a
// rotation is asked and shown as pending, hostile selectors are refused naming --selector
// with nothing written, and the DNS check asks a real PowerDNS (the panel's resolver
// setting) serving a zone with one record right, one wrong and the rest missing.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { txtRdata } from "@steward/contracts/dns";
import { startPowerDns } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

const pdns = await startPowerDns();
afterAll(async () => {
  removeDataDirs();
  await pdns?.stop();
});

describe.skipIf(!pdns)("steward mail dkim, steward mail dns-check", () => {
  const dns = pdns as NonNullable<typeof pdns>;
  const zone = async (name: string, rrsets: { name: string; type: string; content: string }[]) => {
    const r = await fetch(`${dns.apiUrl}/api/v1/servers/localhost/zones`, {
      method: "POST",
      headers: { "X-API-Key": dns.apiKey, "content-type": "application/json" },
      body: JSON.stringify({
        name: `${name}.`,
        kind: "Native",
        nameservers: [`ns1.${name}.`],
        rrsets: rrsets.map((x) => ({
          name: x.name,
          type: x.type,
          ttl: 300,
          records: [{ content: x.content, disabled: false }],
        })),
      }),
    });
    expect(r.status, await r.text()).toBe(201);
  };

  it("rotates, shows the records to copy, refuses hostile selectors, and checks live DNS", async () => {
    await zone("cli-mail.test", [
      { name: "cli-mail.test.", type: "MX", content: "10 mx.elsewhere.test." },
      { name: "cli-mail.test.", type: "TXT", content: txtRdata("v=spf1 mx a ~all") },
      { name: "_dmarc.cli-mail.test.", type: "TXT", content: txtRdata("v=DMARC1; p=reject") },
    ]);
    const c = cliFor(undefined, { STEWARD_MAIL_DNS_RESOLVERS: dns.resolver });
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "mx-1", "--agent-url", "https://10.0.0.7:7443"],
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    const domain = await c.json<{ id: string }>([
      ...["mail", "domain", "add", "cli-mail.test", "--node", "mx-1"],
    ]);
    expect(await c.ok(["mail", "dkim", "show", domain.id])).toBe(
      [
        "no DKIM key yet (steward mail dkim rotate <domain> makes one on the node)",
        "records to copy into the domain's DNS (no zone of its account here):",
        "  MX   cli-mail.test  (any MX: the node has no host name to point one at)",
        "  TXT  cli-mail.test  v=spf1 mx a ~all",
        "  TXT  _dmarc.cli-mail.test  v=DMARC1; p=none",
        "",
      ].join("\n"),
    );
    const keys = () =>
      (db.prepare("SELECT count(*) AS n FROM mail_dkim_keys").get() as { n: number }).n;
    // (the full list is hostile-input's: BAD_SELECTORS)
    for (const bad of ["../x", "a\nb", "x".repeat(64), "a._domainkey.evil"])
      expect(await c.fails(["mail", "dkim", "rotate", domain.id, "--selector", bad], 2)).toMatch(
        /^steward: --selector: /,
      );
    expect(keys()).toBe(0);
    const rotated = await c.ok(["mail", "dkim", "rotate", domain.id, "--selector", "cli1"]);
    expect(rotated).toMatch(/^new DKIM key cli1: task \S+ makes it on the node/);
    expect(await c.ok(["mail", "dkim", "show", domain.id])).toMatch(
      /^DKIM selector cli1 \(pending\)\n/,
    );
    expect(await c.fails(["mail", "dkim", "rotate", domain.id, "--selector", "cli1"], 1)).toMatch(
      /cli1 was used/,
    );
    expect(await c.fails(["mail", "dkim", "policy", domain.id, "--spf", "+all"], 2)).toMatch(
      /^steward: --spf: /,
    );
    expect(await c.ok(["mail", "dkim", "policy", domain.id, "--spf", "-all"])).toContain(
      "  TXT  cli-mail.test  v=spf1 mx a -all\n",
    );
    db.close();

    const check = await c.run(["mail", "dns-check", domain.id]);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(
      [
        `asked ${dns.resolver}`,
        "ok       MX     cli-mail.test",
        "wrong    SPF    cli-mail.test",
        '           expected "v=spf1 mx a -all", found "v=spf1 mx a ~all"',
        "wrong    DMARC  _dmarc.cli-mail.test",
        '           expected "v=DMARC1; p=none", found "v=DMARC1; p=reject"',
        "",
      ].join("\n"),
    );
    expect(await c.fails(["mail", "dns-check", "../x"], 2)).toMatch(/^steward: <domain>: /);
  }, 180_000);
});
