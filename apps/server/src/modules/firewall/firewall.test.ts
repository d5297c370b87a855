// Node firewalls through the real panel API, a real enrolled agent and real nftables in a
// network namespace this file creates (never the host's ruleset; the agent runs nft there,
// `firewall.netns`), checked with real TCP connections from a second namespace. Saved rules
// are applied and confirmed by the panel by itself; an apply nobody confirms reverts on the
// node by itself; a person's confirmation keeps one; unblock takes an address out; rules that
// would close SSH or the agent's port are refused and change nothing; super users only. The
// confirmed table is the node's boot file (a temporary one here).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNetnsPair } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EnrolledNode, enrollNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const ns = await startNetnsPair();

describe.skipIf(!ns)("node firewalls", () => {
  const pair = ns as NonNullable<typeof ns>;
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: EnrolledNode;
  const boot = mkdtempSync(join(tmpdir(), "steward-fw-boot-"));
  const bootFile = join(boot, "firewall.nft");
  const api = (method: string, path: string, body?: unknown, key = w.keys.super) =>
    s.request(method, `/api/v1/nodes/${node.id}/firewall${path}`, { key, body });
  const rules = (extra: object = {}) => ({
    rules: [
      { action: "allow", service: "ssh" },
      { action: "allow", ports: String(node.port) },
      { action: "allow", service: "http" },
    ],
    ...extra,
  });
  const settled = async (task: string) => {
    const t = await settleTask(s, task, 40_000);
    return { state: t.state, log: await taskLogText(s, task) };
  };
  const until = async (status: string) => {
    for (let i = 0; i < 100; i++) {
      const r = await api("GET", "");
      if (r.body.status === status) return r.body;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the firewall never became ${status}`);
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollNode(s, w.keys.super, {
      name: "fw-node",
      listen: "127.0.0.1",
      agentJson: { firewall: { netns: pair.node, bootFile, bootUnit: null } },
    });
    await pair.listen([22, 80, 8080]);
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    await pair.close();
    rmSync(boot, { recursive: true, force: true });
  });

  it("shows a node Steward does not manage yet; tenants see nothing of it", async () => {
    const r = await api("GET", "");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "none", revision: 0, rules: [], blocked: [] });
    for (const key of [w.keys.accountAdmin, w.keys.reader]) {
      const denied = await api("GET", "", undefined, key);
      expect(denied.status).toBe(403);
      expect(JSON.stringify(denied.body)).not.toContain(node.id);
    }
    expect((await api("PUT", "", rules(), w.keys.accountAdmin)).status).toBe(403);
  });

  it("applies saved rules and confirms them by itself (real connections)", async () => {
    const sshBans = { maxFailures: 4, findSeconds: 300, banSeconds: 900 };
    const put = await api("PUT", "", rules({ blocked: [pair.otherAddress], sshBans }));
    expect(put.status).toBe(202);
    expect(put.body).toMatchObject({ status: "applying", revision: 1 });
    const { state, log } = await settled(put.body.task);
    expect(state).toBe("succeeded");
    expect(log).toContain("confirmed: the node keeps the new rules");
    const view = (await api("GET", "")).body;
    expect(view).toMatchObject({
      status: "applied",
      appliedRevision: 1,
      panelAddress: "127.0.0.1",
      message: "applied and confirmed by the panel",
      revertAt: null,
      sshBans,
    });
    expect(await pair.reaches(80)).toBe(true);
    expect(await pair.reaches(22)).toBe(true);
    expect(await pair.reaches(8080)).toBe(false);
    expect(await pair.reaches(80, pair.otherAddress)).toBe(false);
    // confirmed: what the node loads at boot is this table
    const table = pair.nft(["-s", "list", "table", "inet", "steward"]);
    expect(readFileSync(bootFile, "utf8")).toContain(table);
  }, 60_000);

  it("unblocks an address: out of the saved list and the node's set", async () => {
    const r = await api("POST", "/unblock", { address: pair.otherAddress });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ address: pair.otherAddress, wasBlocked: true });
    expect((await settled(r.body.task)).state).toBe("succeeded");
    expect(await pair.reaches(80, pair.otherAddress)).toBe(true);
    expect((await api("GET", "")).body.blocked).toEqual([]);
    const again = await api("POST", "/unblock", { address: pair.otherAddress });
    expect(again.body.wasBlocked).toBe(false);
    expect(await taskLogText(s, (await settleTask(s, again.body.task)).id)).toContain(
      "was not blocked on the node",
    );
  }, 30_000);

  it("reverts on the node by itself when nobody confirms", async () => {
    const closing = { ...rules(), autoConfirm: false, confirmSeconds: 5 };
    closing.rules = closing.rules.slice(0, 2);
    const put = await api("PUT", "", closing);
    expect(put.status).toBe(202);
    const pending = await until("pending");
    expect(Date.parse(pending.revertAt)).toBeGreaterThan(Date.now());
    expect(await pair.reaches(80)).toBe(false);
    // one apply at a time
    const again = await api("PUT", "", rules());
    expect(again.status).toBe(409);
    const { state, log } = await settled(put.body.task);
    expect(state).toBe("failed");
    expect(log).toContain("nobody confirmed by");
    expect(log).toContain("the node answers again and runs the previous rules");
    expect((await api("GET", "")).body).toMatchObject({ status: "reverted", appliedRevision: 1 });
    expect(await pair.reaches(80)).toBe(true);
  }, 60_000);

  it("keeps an apply a person confirms in time", async () => {
    const closing = { ...rules(), autoConfirm: false, confirmSeconds: 30 };
    closing.rules = closing.rules.slice(0, 2);
    const put = await api("PUT", "", closing);
    await until("pending");
    const confirmed = await api("POST", "/confirm");
    expect(confirmed.status).toBe(200);
    expect((await settled(put.body.task)).state).toBe("succeeded");
    expect((await api("GET", "")).body).toMatchObject({ status: "applied", appliedRevision: 3 });
    expect(await pair.reaches(80)).toBe(false);
    expect((await api("POST", "/confirm")).status).toBe(409);
  }, 60_000);

  it("refuses rules closing SSH or the agent's port, changing nothing", async () => {
    const before = (await api("GET", "")).body;
    const noSsh = await api("PUT", "", { rules: [{ action: "allow", ports: String(node.port) }] });
    expect(noSsh.status).toBe(400);
    expect(JSON.stringify(noSsh.body)).toContain("the rules close SSH (port 22)");
    const noAgent = await api("PUT", "", {
      rules: [
        { action: "allow", service: "ssh" },
        { action: "allow", ports: String(node.port), source: "192.0.2.0/24" },
        { action: "deny", ports: String(node.port) },
      ],
    });
    expect(noAgent.status).toBe(400);
    expect(noAgent.body.error.details).toEqual([
      {
        field: "rules",
        message: `the rules close the agent's port ${node.port}: allow it, or the panel loses the node`,
      },
    ]);
    expect((await api("GET", "")).body).toEqual(before);
  });
});
