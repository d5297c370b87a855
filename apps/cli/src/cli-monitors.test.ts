// The real `steward` CLI as a child process: monitors. No scheduler runs here (no `serve`):
// these tests are about what the CLI accepts, writes and prints; `check` probes at once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

interface MonitorJson {
  id: string;
  name: string;
  kind: string;
  target: string;
  state: string;
  paused: boolean;
  intervalSeconds: number;
  retries: number;
  heartbeatToken?: string | null;
  settings: Record<string, unknown>;
}

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((_req, res) => res.end(JSON.stringify({ status: "ok" })));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  removeDataDirs();
  await new Promise((r) => server.close(r));
});

describe("steward monitor", () => {
  it("adds, lists, shows, updates, pauses, resumes, checks and removes monitors", async () => {
    // the installation's allow list names 127.0.0.1, as a test installation's would
    const c = cliFor(undefined, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" });
    const web = await c.json<MonitorJson>([
      ...["monitor", "add", "--name", "api", "--url", `${base}/health`, "--interval", "30"],
      ...["--json-path", "$.status", "--json-equals", "ok", "--header", "X-Probe: 1"],
    ]);
    expect(web).toMatchObject({
      name: "api",
      kind: "http",
      target: `${base}/health`,
      state: "pending",
      intervalSeconds: 30,
      heartbeatToken: null,
      settings: { json: { path: "$.status", equals: "ok" }, headers: { "X-Probe": "1" } },
    });
    const beat = await c.json<MonitorJson>([
      "monitor",
      "add",
      "--name",
      "backup",
      "--kind",
      "heartbeat",
      "--grace",
      "300",
    ]);
    expect(beat.heartbeatToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [all, heartbeats, human] = await Promise.all([
      c.json<Page<MonitorJson>>(["monitor", "list"]),
      c.json<Page<MonitorJson>>(["monitor", "list", "--kind", "heartbeat", "--state", "pending"]),
      c.ok(["monitor", "list", "--sort", "name"]),
    ]);
    expect(all.items.map((m) => m.id)).toEqual([web.id, beat.id]);
    expect(heartbeats.items.map((m) => m.id)).toEqual([beat.id]);
    expect(human).toMatch(/^ID\s+NAME\s+KIND\s+TARGET\s+STATE\s+LASTRESPONSEMS\s+LASTMESSAGE\n/);
    expect(human.indexOf("api")).toBeLessThan(human.indexOf("backup"));

    const checked = await c.json<{ at: string; outcome: string; message: string }>([
      "monitor",
      "check",
      web.id,
    ]);
    expect(checked).toMatchObject({ outcome: "up", message: "answered 200" });
    const changed = await c.json<MonitorJson>([
      "monitor",
      "update",
      web.id,
      "--retries",
      "2",
      "--name",
      "api v2",
    ]);
    expect(changed).toMatchObject({ name: "api v2", retries: 2 });
    expect((await c.json<MonitorJson>(["monitor", "pause", web.id])).paused).toBe(true);
    expect((await c.json<MonitorJson>(["monitor", "resume", web.id])).paused).toBe(false);
    expect((await c.json<MonitorJson>(["monitor", "show", web.id])).name).toBe("api v2");
    const results = await c.json<Page<unknown>>([
      "monitor",
      "results",
      web.id,
      "--from",
      "2026-01-01T00:00:00Z",
    ]);
    // the check now is recorded as a scheduled check's
    expect(results.items).toContainEqual(
      expect.objectContaining({ at: checked.at, outcome: "up", message: "answered 200" }),
    );
    expect(await c.fails(["monitor", "remove", web.id], 2)).toBe(
      `steward: deleting monitor ${web.id} cannot be undone; add --yes to confirm`,
    );
    expect(await c.json(["monitor", "remove", web.id, "--yes"])).toEqual({ removed: web.id });
    expect(await c.auditActions("monitor.*")).toEqual([
      "monitor.check",
      "monitor.create",
      "monitor.create",
      "monitor.delete",
      "monitor.pause",
      "monitor.resume",
      "monitor.update",
    ]);
    // a dozen commands, each a process opening the database
  }, 240_000);

  it("refuses bad input naming the option, before or after the service", async () => {
    const c = cliFor();
    expect(await c.fails(["monitor", "add", "--name", "x", "--url", "ftp://x.org"], 2)).toMatch(
      /^steward: --url: must be an http:\/\/ or https:\/\/ URL/,
    );
    expect(
      await c.fails(
        ["monitor", "add", "--name", "x", "--url", "https://x.org", "--interval", "5"],
        2,
      ),
    ).toBe("steward: --interval: must be between 20 and 86400");
    expect(
      await c.fails(
        ["monitor", "add", "--name", "x", "--kind", "tcp", "--host", "127.0.0.1", "--port", "22"],
        2,
      ),
    ).toBe("steward: --host: 127.0.0.1 is a loopback address, which this panel does not allow");
    expect(
      await c.fails(
        [
          "monitor",
          "add",
          "--name",
          "x",
          "--kind",
          "dns",
          "--dns-name",
          "x.org",
          "--resolver",
          "dns.google",
        ],
        2,
      ),
    ).toMatch(/^steward: --resolver: /);
    expect(await c.fails(["monitor", "add", "--name", "x", "--header", "nocolon"], 2)).toBe(
      'steward: --header: must be "Name: value" (nocolon)',
    );
    expect(
      await c.fails(["monitor", "add", "--name", "x", "--kind", "ping", "--host", "-f"], 2),
    ).toBe("steward: --host: -f is not a valid host name");
    expect(
      await c.fails(["monitor", "add", "--name", "x", "--kind", "rdap", "--domain", "../x.org"], 2),
    ).toBe("steward: --domain: must be a domain name like example.com");
    expect(await c.fails(["monitor", "update", "mon_x"], 2)).toMatch(/^steward: nothing to change/);
    // where it is checked from: a location that is not an id, a quorum above the locations
    expect(
      await c.fails(
        ["monitor", "add", "--name", "x", "--url", "https://x.org", "--location", "../"],
        2,
      ),
    ).toMatch(/^steward: --location: must be an identifier/);
    expect(
      await c.fails(
        ["monitor", "add", "--name", "x", "--url", "https://x.org", "--quorum", "2"],
        2,
      ),
    ).toBe("steward: --quorum: must be at most the number of locations");
    expect(await c.fails(["monitor", "show", "a b"], 2)).toMatch(/^steward: <id>: /);
  }, 120_000);
});
