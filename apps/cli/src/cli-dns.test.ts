// The real `steward` CLI as a child process: DNS zones and records. Nothing applies them here
// (no worker, no agent): these tests are about what the CLI accepts, writes and prints.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface ZoneJson {
  id: string;
  name: string;
  serial: number;
  records: number;
  taskId: string;
}
interface RecordJson {
  id: string;
  name: string;
  type: string;
  value: string;
}

describe("steward dns", () => {
  it("adds a zone from the template, changes records, exports and imports it", async () => {
    const c = cliFor();
    const node = await c.json<{ id: string }>([
      "node",
      "add",
      "--name",
      "ns-1",
      "--agent-url",
      "https://10.0.0.6:7443",
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    db.close();
    const zone = await c.json<ZoneJson>([
      ...["dns", "zone", "add", "--name", "cli.example.com", "--node", "ns-1", "--template"],
      ...["--ns", "ns1.example.net.,ns2.example.net.", "--ipv4", "192.0.2.8"],
    ]);
    expect(zone).toMatchObject({ name: "cli.example.com", records: 9 });
    const added = await c.json<{ record: RecordJson; zone: ZoneJson }>([
      ...[
        "dns",
        "record",
        "add",
        zone.id,
        "--name",
        "api",
        "--type",
        "TXT",
        "--value",
        'say "hi"; ok',
      ],
    ]);
    expect(added.record).toMatchObject({ name: "api", type: "TXT", value: 'say "hi"; ok' });
    expect(added.zone.serial).toBe(zone.serial + 1);
    const updated = await c.ok([
      "dns",
      "record",
      "update",
      zone.id,
      added.record.id,
      "--value",
      "bye",
    ]);
    expect(updated).toMatch(
      new RegExp(
        `^zone cli\\.example\\.com \\(${zone.id}\\) has record ${added.record.id} changed, serial ${zone.serial + 2}\\ntask task_`,
      ),
    );
    const file = join(c.dataDir, "cli.zone");
    await c.ok(["dns", "zone", "export", zone.id, "--file", file]);
    expect(readFileSync(file, "utf8")).toContain('api 3600 IN TXT "bye"');
    const records = await c.json<{ items: RecordJson[] }>(["dns", "record", "list", zone.id]);
    expect(records.items).toHaveLength(10);
    const imported = await c.json<ZoneJson>(["dns", "zone", "import", zone.id, "--file", file]);
    expect(imported.records).toBe(10);
    const list = await c.json<Page<ZoneJson>>(["dns", "zone", "list", "--node", "ns-1"]);
    expect(list.items.map((z) => z.id)).toEqual([zone.id]);
  }, 240_000);

  it("signs a PowerDNS zone with dnssec on, and refuses a zone not served by PowerDNS", async () => {
    const c = cliFor();
    const node = await c.json<{ id: string }>([
      ...["node", "add", "--name", "ns-2", "--agent-url", "https://10.0.0.7:7443"],
    ]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted' WHERE id = ?").run(node.id);
    const zone = await c.json<ZoneJson>([
      ...["dns", "zone", "add", "--name", "signed.example.com", "--node", "ns-2"],
      ...["--template", "--ns", "ns1.example.net."],
    ]);
    expect(await c.fails(["dns", "zone", "dnssec", zone.id, "on"], 2)).toMatch(
      /<state>: DNSSEC is available on PowerDNS only; this zone has not been served yet/,
    );
    expect(await c.fails(["dns", "zone", "dnssec", zone.id, "maybe"], 2)).toContain("<state>");
    db.prepare("UPDATE dns_zones SET backend = 'powerdns' WHERE id = ?").run(zone.id);
    db.close();
    const on = await c.ok(["dns", "zone", "dnssec", zone.id, "on"]);
    expect(on).toContain(
      `zone signed.example.com (${zone.id}) signed (DNSSEC), serial ${zone.serial + 1}`,
    );
    expect(on).toContain("DNSSEC: on, keys pending");
    const shown = await c.json<{ dnssec: unknown }>(["dns", "zone", "show", zone.id]);
    expect(shown.dnssec).toEqual({ enabled: true, ds: [], dnskeys: [] });
    expect(await c.ok(["dns", "zone", "dnssec", zone.id, "off"])).toContain("DNSSEC: off");
  }, 180_000);

  it("adds a zone held at Cloudflare, imported from what it holds, and names the option it refuses", async () => {
    const token = "cli-token-0123456789abcdef";
    const fake = await startCloudflareFake({ zones: ["cf.example"], tokens: { [token]: {} } });
    try {
      fake.seed("cf.example", { type: "A", name: "www.cf.example", content: "192.0.2.4", ttl: 1 });
      const env = { STEWARD_CLOUDFLARE_API: fake.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" };
      const c = cliFor(undefined, env);
      const slow = { timeoutMs: 60_000 };
      const account = await c.json<{ id: string }>(
        ["account", "create", "--name", "CF", "--slug", "cf"],
        slow,
      );
      const provider = await c.json<{ id: string }>(
        ["cert", "provider", "add", "--account", "cf", "--name", "cf"],
        { ...slow, input: `${token}\n` },
      );
      const add = ["dns", "zone", "add", "--name", "cf.example", "--account", account.id];
      expect(await c.fails([...add, "--provider", provider.id, "--node", "n"], 2, slow)).toMatch(
        /--node: give either node or provider/,
      );
      expect(await c.fails([...add, "--node", "n", "--import"], 2, slow)).toMatch(
        /--import: is for a zone at a DNS provider only/,
      );
      expect(await c.fails([...add, "--provider", "dnsp_nope"], 2, slow)).toMatch(
        /--provider: DNS provider dnsp_nope not found in the zone's account/,
      );
      const zone = await c.json<ZoneJson & { backend: string; nodeId: null }>(
        [...add, "--provider", provider.id, "--import"],
        slow,
      );
      // www (imported) and Cloudflare's two name servers at @
      expect(zone).toMatchObject({ backend: "cloudflare", nodeId: null, records: 3 });
      expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
    } finally {
      await fake.stop();
    }
  }, 240_000);

  it("refuses bad input naming the option", async () => {
    const c = cliFor();
    const calls: [string[], string][] = [
      [["dns", "zone", "add", "--name", "*.example.com", "--node", "n"], "--name"],
      [["dns", "zone", "show", "../x"], "<zone>"],
      [["dns", "record", "add", "dnz_x", "--type", "HINFO", "--value", "x"], "--type"],
      [["dns", "record", "add", "dnz_x", "--type", "A", "--ttl", "abc", "--value", "x"], "--ttl"],
      [["dns", "zone", "import", "dnz_x", "--file", "/nonexistent/zone"], "--file"],
      [["dns", "zone", "remove", "dnz_x"], "--yes"],
    ];
    for (const [args, option] of calls) expect(await c.fails(args, 2)).toContain(option);
  }, 180_000);
});
