// The real `steward` CLI as a child process: nodes.
import { afterAll, describe, expect, it } from "vitest";
import { type AuditJson, cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface NodeJson {
  id: string;
  name: string;
  agentUrl: string;
  state: string;
  certFingerprint: string | null;
}

describe.concurrent("steward node", () => {
  it("agent-upgrade refuses a version that is not a release's and a node without an agent", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "up-1", "--agent-url", "https://10.0.0.6:7443"]);
    for (const bad of ["1.2.3;reboot", "../1.2.3"])
      expect(await c.fails(["node", "agent-upgrade", "up-1", "--to", bad], 2)).toMatch(
        /^steward: --to: /,
      );
    expect(await c.fails(["node", "agent-upgrade", "up-1"], 1)).toBe(
      "steward: node up-1 is pending: it has no agent to upgrade",
    );
  });

  it("ftp-certificate shows none, refuses hostile --site values and a site not on the node", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "ftps-1", "--agent-url", "https://10.0.0.7:7443"]);
    expect(await c.json(["node", "ftp-certificate", "ftps-1"])).toMatchObject({
      site: null,
      serial: null,
    });
    for (const bad of ["site;reboot", "../etc", "a b", "x".repeat(200), "site\nx", ""])
      expect(await c.fails(["node", "ftp-certificate", "ftps-1", "--site", bad], 2)).toMatch(
        /^steward: --site: /,
      );
    expect(
      await c.fails(["node", "ftp-certificate", "ftps-1", "--site", "s1", "--none"], 2),
    ).toMatch(/--site and --none/);
    expect(
      await c.fails(["node", "ftp-certificate", "ftps-1", "--site", "site_missing"], 1),
    ).toMatch(/^steward: body\.site: no site site_missing on node /);
    expect(await c.json(["node", "ftp-certificate", "ftps-1"])).toMatchObject({ site: null });
  });

  it("adds, lists, shows, makes a token for and revokes a node", async () => {
    const c = cliFor();
    const add = ["node", "add", "--name", "web-1", "--agent-url", "https://10.0.0.5:7443"];
    const web = await c.json<NodeJson>(add);
    expect(web).toMatchObject({
      name: "web-1",
      state: "pending",
      agentUrl: "https://10.0.0.5:7443",
    });
    const [list, human, byName] = await Promise.all([
      c.json<Page<NodeJson>>(["node", "list", "--state", "pending"]),
      c.ok(["node", "list"]),
      c.json<NodeJson>(["node", "show", "web-1"]),
    ]);
    expect(list.items.map((n) => n.id)).toEqual([web.id]);
    expect(human).toMatch(/^ID\s+NAME\s+STATE\s+AGENTURL/);
    expect(human).toMatch(/\bweb-1\s+pending\s+https:\/\/10\.0\.0\.5:7443/);
    expect(byName.id).toBe(web.id);

    const token = await c.json<{ token: string; command: string }>(["node", "token", web.id]);
    expect(token.command).toBe(
      `steward agent enroll --panel http://localhost:8080 --token ${token.token}`,
    );
    expect(await c.ok(["node", "token", "web-1"])).toMatch(
      /within 15 minutes.*works once:\n\n {2}curl -fsSL http:\/\/localhost:8080\/install\/agent\.sh \| sudo sh -s -- --token '[A-Za-z0-9_-]{43}'\n\nor, on a server with Steward's checkout:\n\n {2}steward agent enroll --panel \S+ --token [A-Za-z0-9_-]{43}\n$/s,
    );
    expect(await c.fails(add, 1)).toBe("steward: a node named web-1 exists");

    const revoked = await c.json<NodeJson>(["node", "revoke", "web-1"]);
    expect(revoked.state).toBe("revoked");
    expect(await c.fails(["node", "token", "web-1"], 1)).toMatch(/is revoked/);
    expect(await c.auditActions("node.*")).toEqual([
      "node.create",
      "node.revoke",
      "node.token",
      "node.token",
    ]);
  });

  it("sets what a node's proxies may reach, refusing what is not a range", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "web-9", "--agent-url", "https://10.0.0.9:7443"]);
    const set = [
      "node",
      "outbound",
      "web-9",
      "--allow-private",
      "--allow",
      "127.0.0.1",
      "fd00::/8",
    ];
    expect(await c.json(set)).toEqual({ allowPrivate: true, allow: ["127.0.0.1/32", "fd00::/8"] });
    expect(await c.json(["node", "outbound", "web-9", "--no-allow-private"])).toEqual({
      allowPrivate: false,
      allow: ["127.0.0.1/32", "fd00::/8"],
    });
    expect(await c.json(["node", "outbound", "web-9", "--allow", "none"])).toEqual({
      allowPrivate: false,
      allow: [],
    });
    expect(await c.fails(["node", "outbound", "web-9", "--allow", "2130706433/8"], 2)).toBe(
      "steward: --allow: must be an address or a CIDR range like 10.0.0.0/8 or fd00::/8",
    );
    const audit = await c.json<Page<AuditJson>>(["audit", "list", "--action", "node.update"]);
    expect(audit.items).toHaveLength(3);
  });

  it("refuses hostile names, URLs and references, naming the option", async () => {
    const c = cliFor();
    const add = (name: string, url: string) => ["node", "add", "--name", name, "--agent-url", url];
    expect(await c.fails(add("Web 1", "https://h:1"), 2)).toMatch(
      /^steward: --name: must be lowercase/,
    );
    expect(await c.fails(add("web\n1", "https://h:1"), 2)).toMatch(/^steward: --name: /);
    expect(await c.fails(add("web-1", "http://h:1"), 2)).toBe(
      "steward: --agent-url: must be https://host:port",
    );
    expect(await c.fails(add("web-1", "https://h:1;reboot"), 2)).toMatch(/^steward: --agent-url: /);
    expect(await c.fails(["node", "show", "../etc"], 2)).toBe(
      "steward: <node>: must be a node id or name",
    );
    expect(await c.fails(["node", "list", "--state", "gone"], 2)).toMatch(/^steward: --state: /);
    expect(await c.fails(["node", "show", "node_missing"], 1)).toBe(
      "steward: node node_missing not found",
    );
    expect((await c.json<Page<NodeJson>>(["node", "list"])).items).toEqual([]);
  });
});
