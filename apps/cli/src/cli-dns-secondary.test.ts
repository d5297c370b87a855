// The real `steward` CLI as a child process: a node's DNS address and a zone's secondaries.
// Nothing applies them here (no worker, no agent; the end-to-end transfer is
// apps/server/src/modules/dns/dns-secondaries.test.ts): what the CLI accepts, writes and prints.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward dns zone secondary", () => {
  it("sets nodes' DNS addresses, adds, lists and removes a secondary; refusals name the option", async () => {
    const c = cliFor();
    const nodes: string[] = [];
    for (const [name, url] of [
      ["ns-a", "https://10.0.0.7:7443"],
      ["ns-b", "https://10.0.0.8:7443"],
    ] as const)
      nodes.push(
        (await c.json<{ id: string }>(["node", "add", "--name", name, "--agent-url", url])).id,
      );
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    db.close();
    const zone = await c.json<{ id: string }>([
      ...["dns", "zone", "add", "--name", "sec.example.com", "--node", "ns-a", "--template"],
      ...["--ns", "ns1.example.net.", "--ipv4", "192.0.2.8"],
    ]);
    const add = ["dns", "zone", "secondary", "add", zone.id, "--node"];
    expect(await c.fails([...add, "ns-b"], 2)).toMatch(/--node: node ns-b has no DNS address/);
    expect(await c.fails([...add, "ns-a"], 2)).toMatch(/--node: .*serves the zone already/);
    expect(await c.fails([...add, "x'; --"], 2)).toContain("--node");
    for (const bad of ["10.0.0.8", "10.0.0.8:53;", "ns1.example.net:53", "10.0.0.8:99999"])
      expect(await c.fails(["node", "dns-address", "ns-b", bad], 2)).toMatch(
        /^.*<address>: must be an IPv4 address and a port/m,
      );
    expect(await c.ok(["node", "dns-address", "ns-a", "10.0.0.7:53"])).toBe(
      "ns-a: DNS address 10.0.0.7:53\n",
    );
    await c.ok(["node", "dns-address", "ns-b", "10.0.0.8:5353"]);
    const added = await c.ok([...add, "ns-b"]);
    expect(added).toMatch(/^node ns-b becomes a secondary\ntask task_\w+ does it/);
    const list = await c.json<{ items: unknown[] }>(["dns", "zone", "secondary", "list", zone.id]);
    expect(list.items).toMatchObject([
      { nodeId: nodes[1], nodeName: "ns-b", address: "10.0.0.8:5353", state: "pending" },
    ]);
    expect(await c.ok(["dns", "zone", "secondary", "list", zone.id])).toContain("10.0.0.8:5353");
    const remove = ["dns", "zone", "secondary", "remove", zone.id, "ns-b"];
    expect(await c.fails(remove, 2)).toContain("--yes");
    expect(await c.ok([...remove, "--yes"])).toMatch(/^node ns-b stops being a secondary\n/);
    expect(await c.fails(["dns", "zone", "remove", zone.id, "--yes"], 1)).toMatch(
      /has secondaries \(ns-b\): remove them first/,
    );
    expect(await c.ok(["node", "dns-address", "ns-b", "none"])).toBe("ns-b: DNS address unset\n");
  }, 240_000);
});
