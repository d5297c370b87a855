// Cloudflare tunnels through the real panel HTTP API, a real enrolled agent editing a real
// config.yml, and the strict Cloudflare fake (Cloudflare and cloudflared cannot run here; the
// agent's schema check validates). A hostname is forwarded (ingress rule before the catch-all,
// then a proxied CNAME to <tunnel id>.cfargotunnel.com) and removed; a hostname routed
// already (by Steward, by hand in the file, or with a record at Cloudflare) is refused and
// nothing changes; when Cloudflare refuses the CNAME the rule is taken out again.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCloudflareFake } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const TOKEN = "tunnel-token-0123456789abcdef";
const NO_TUNNELS = "dnsonly-token-0123456789abcdef";
const READ_ONLY = "readonly-token-0123456789abcdef";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const TUN = "6ff42ae2-765d-4adf-8112-31c55c1551ef";
const TUN2 = "0b0d7c8e-2f43-4a8a-9d6e-6a3c1c7f2b11";
const cloudflare = await startCloudflareFake({
  zones: ["example.test"],
  tokens: {
    [TOKEN]: { tunnels: true },
    [NO_TUNNELS]: {},
    [READ_ONLY]: { tunnels: true, dnsWrite: false },
  },
  accounts: {
    [ACCOUNT]: [
      { id: TUN, name: "edge", status: "healthy", connections: 2 },
      { id: TUN2, name: "spare", status: "inactive" },
    ],
  },
});
cloudflare.seed("example.test", {
  type: "A",
  name: "taken.example.test",
  content: "192.0.2.9",
  ttl: 300,
});
const CONFIG = `tunnel: ${TUN}
credentials-file: /etc/cloudflared/${TUN}.json
ingress:
  - hostname: wiki.example.test
    service: http://localhost:8080
  - service: http_status:404
`;

describe("Cloudflare tunnels", () => {
  const s = useServer("sqlite", {
    env: { STEWARD_CLOUDFLARE_API: cloudflare.base, STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" },
  });
  const w = useWorld(s);
  let dir = "";
  let node: EnrolledNode;
  let spare: EnrolledNode;
  let tunnel = "";
  const file = () => join(dir, "config.yml");
  const api = (method: string, path: string, body?: unknown) =>
    s.request(method, path, { key: w.keys.super, body });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "steward-cloudflared-"));
    writeFileSync(file(), CONFIG, { mode: 0o640 });
    writeFileSync(join(dir, "spare.yml"), "tunnel: spare\n");
    const cloudflared = (configFile: string) => ({
      cloudflared: { configFile, bin: join(dir, "cloudflared-not-installed") },
    });
    node = await enrollNode(s, w.keys.super, {
      name: "edge-node",
      listen: "127.0.0.1",
      agentJson: cloudflared(file()),
    });
    spare = await enrollNode(s, w.keys.super, {
      name: "spare-node",
      listen: "127.0.0.1",
      agentJson: cloudflared(join(dir, "spare.yml")),
    });
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    await spare?.close();
    await cloudflare.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a tunnel once Cloudflare confirms it, says why not otherwise, never answers the token", async () => {
    const body = { node: node.id, cloudflareAccount: ACCOUNT, tunnelId: TUN, zone: "example.test" };
    const refused: [Record<string, unknown>, string, RegExp][] = [
      [{ token: NO_TUNNELS }, "tunnelId", /Cloudflare refused: Authentication error \(10000\)/],
      [
        { token: TOKEN, tunnelId: "11111111-2222-4333-8444-555555555555" },
        "tunnelId",
        /perhaps your object identifier is invalid\? \(7003\)/,
      ],
      [{ token: TOKEN, zone: "other.test" }, "zone", /does not reach the zone other\.test/],
    ];
    for (const [change, field, says] of refused) {
      const r = await api("POST", "/api/v1/tunnels", { ...body, ...change });
      expect([r.status, r.body.error?.details]).toEqual([
        400,
        [{ field, message: expect.stringMatching(says) }],
      ]);
    }
    const made = await api("POST", "/api/v1/tunnels", { ...body, token: TOKEN });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    tunnel = made.body.id;
    expect(JSON.stringify(made.body)).not.toContain(TOKEN);
    const again = await api("POST", "/api/v1/tunnels", { ...body, token: TOKEN });
    expect([again.status, again.body.error.details[0].field]).toEqual([409, "node"]);
    const status = await api("GET", `/api/v1/tunnels/${tunnel}/status`);
    expect(status.body).toMatchObject({ name: "edge", status: "healthy" });
    expect(status.body.connections).toHaveLength(2);
    const preview = await api("GET", `/api/v1/tunnels/${tunnel}/config`);
    expect(preview.body).toMatchObject({ config: CONFIG, tunnel: TUN });
    expect(preview.body.ingress.map((r: { hostname: string | null }) => r.hostname)).toEqual([
      "wiki.example.test",
      null,
    ]);
    for (const who of ["accountAdmin", "reader"] as const)
      expect((await s.request("GET", "/api/v1/tunnels", { key: w.keys[who] })).status).toBe(403);
  });

  it("forwards a hostname to a port: the rule before the catch-all, then a proxied CNAME to the tunnel", async () => {
    const added = await api("POST", `/api/v1/tunnels/${tunnel}/routes`, {
      hostname: "app.example.test",
      port: 3000,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({
      hostname: "app.example.test",
      port: 3000,
      validatedBy: "schema",
      backup: `${file()}.steward-backup`,
      restarted: false,
      note: expect.stringMatching(/no systemd/),
    });
    expect(readFileSync(file(), "utf8")).toContain(
      "  - hostname: app.example.test\n    service: http://localhost:3000\n  - service: http_status:404\n",
    );
    expect(readFileSync(`${file()}.steward-backup`, "utf8")).toBe(CONFIG);
    const cname = cloudflare.records().find((r) => r.name === "app.example.test");
    expect(cname).toMatchObject({
      type: "CNAME",
      content: `${TUN}.cfargotunnel.com`,
      proxied: true,
      ttl: 1,
    });
    const list = await api("GET", `/api/v1/tunnels/${tunnel}/routes`);
    expect(list.body.items.map((r: { hostname: string }) => r.hostname)).toEqual([
      "app.example.test",
    ]);
  });

  it("refuses a hostname already routed (by Steward, by hand, at Cloudflare) or outside the zone, changing nothing", async () => {
    const before = readFileSync(file(), "utf8");
    const records = cloudflare.records().length;
    const cases: [string, number, string, RegExp][] = [
      ["app.example.test", 409, "hostname", /forwarded already/],
      [
        "wiki.example.test",
        409,
        "hostname",
        /wiki\.example\.test is already routed by this tunnel/,
      ],
      [
        "taken.example.test",
        409,
        "hostname",
        /Cloudflare has a A record for taken\.example\.test already/,
      ],
      ["app.elsewhere.test", 400, "hostname", /must be a name of the tunnel's zone example\.test/],
    ];
    for (const [hostname, status, field, says] of cases) {
      const r = await api("POST", `/api/v1/tunnels/${tunnel}/routes`, { hostname, port: 3001 });
      expect([hostname, r.status, r.body.error.details]).toEqual([
        hostname,
        status,
        [{ field, message: expect.stringMatching(says) }],
      ]);
    }
    for (const [hostname, port, field] of [
      ["a.example.test\n- service: x", 80, "body.hostname"],
      ["a.example.test: x", 80, "body.hostname"],
      ["a.example.test", 0, "body.port"],
      ["a.example.test", 65536, "body.port"],
      ["a.example.test", "80; rm -rf /", "body.port"],
    ] as const) {
      const r = await api("POST", `/api/v1/tunnels/${tunnel}/routes`, { hostname, port });
      expect([r.status, r.body.error.details[0].field]).toEqual([400, field]);
    }
    expect(readFileSync(file(), "utf8")).toBe(before);
    expect(cloudflare.records()).toHaveLength(records);
  });

  it("takes the rule out again when Cloudflare refuses the CNAME", async () => {
    const made = await api("POST", "/api/v1/tunnels", {
      node: spare.id,
      cloudflareAccount: ACCOUNT,
      tunnelId: TUN2,
      zone: "example.test",
      token: READ_ONLY,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const r = await api("POST", `/api/v1/tunnels/${made.body.id}/routes`, {
      hostname: "spare.example.test",
      port: 4000,
    });
    expect([r.status, r.body.error.details]).toEqual([
      400,
      [
        {
          field: "hostname",
          message: expect.stringMatching(
            /Cloudflare refused the CNAME: Authentication error \(10000\)/,
          ),
        },
      ],
    ]);
    const text = readFileSync(join(dir, "spare.yml"), "utf8");
    expect(text).not.toContain("spare.example.test");
    expect((await api("GET", `/api/v1/tunnels/${made.body.id}/routes`)).body.items).toEqual([]);
    expect((await api("DELETE", `/api/v1/tunnels/${made.body.id}`)).status).toBe(204);
  });

  it("removes a route (rule and CNAME), then the tunnel", async () => {
    expect((await api("DELETE", `/api/v1/tunnels/${tunnel}`)).status).toBe(409);
    const [route] = (await api("GET", `/api/v1/tunnels/${tunnel}/routes`)).body.items;
    expect((await api("DELETE", `/api/v1/tunnels/${tunnel}/routes/${route.id}`)).status).toBe(204);
    expect(readFileSync(file(), "utf8")).not.toContain("app.example.test");
    expect(readFileSync(file(), "utf8")).toContain("- service: http_status:404");
    expect(cloudflare.records().some((r) => r.name === "app.example.test")).toBe(false);
    expect((await api("DELETE", `/api/v1/tunnels/${tunnel}`)).status).toBe(204);
    const audit = await api("GET", "/api/v1/audit-events?action=tunnel.*");
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        "tunnel.create",
        "tunnel.route.create",
        "tunnel.route.remove",
        "tunnel.remove",
      ]),
    );
    expect(JSON.stringify(audit.body)).not.toContain(TOKEN);
  });
});
