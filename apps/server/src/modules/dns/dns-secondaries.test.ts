// DNS secondaries through the panel, real components only: two agents enrolled through the
// public endpoint, one serving zones with a hermetic BIND (rndc), the other with a hermetic
// PowerDNS; a zone on the BIND node gets the PowerDNS node as its secondary through the API:
// the secondary serves it (dig), a record changed on the primary reaches it by NOTIFY and
// AXFR, and once removed it no longer serves it. Refusals name `body.node` and change nothing.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startDns, startNginx, startPowerDns } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const nginx = await startNginx({ listen: "127.0.0.3" });
const bind = nginx ? await startDns({ zones: { "static.test": [] }, control: true }) : null;
const pdns = bind ? await startPowerDns() : null;

const dig = (port: number | undefined, name: string, type: string) =>
  execFileSync("dig", ["@127.0.0.1", "-p", String(port), "+short", "+norec", name, type])
    .toString()
    .trim();

describe.skipIf(!nginx || !bind || !pdns)(
  "DNS secondaries: BIND primary, PowerDNS secondary",
  () => {
    const s = useServer("sqlite");
    const w = useWorld(s);
    let primary: RealNode | null = null;
    let secondary: RealNode | null = null;
    const Z = "/api/v1/dns/zones";
    const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
      s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
    const settled = async (taskId: string) => {
      const task = await settleTask(s, taskId, 90_000);
      expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
    };
    const ZONE = "sec.example.test";
    const secPort = () => pdns?.port;

    beforeAll(async () => {
      if (!nginx || !bind || !pdns) return;
      s.svc.engine.startWorker();
      primary = await enrollRealNode(s, w.keys.super, {
        name: "dns-primary",
        nginx,
        agentJson: {
          dns: {
            backend: "bind",
            query: bind.resolver,
            bind: { zoneDir: bind.zoneDir, rndcConf: bind.rndcConf },
          },
        },
      });
      secondary = await enrollRealNode(s, w.keys.super, {
        name: "dns-secondary",
        nginx,
        agentJson: {
          dns: {
            backend: "powerdns",
            query: pdns.resolver,
            powerdns: { apiUrl: pdns.apiUrl, apiKey: pdns.apiKey, configDir: pdns.configDir },
          },
        },
      });
    }, 120_000);
    afterAll(async () => {
      await Promise.all([primary?.close(), secondary?.close()]);
      await Promise.all([nginx?.stop(), bind?.stop(), pdns?.stop()]);
    });

    let zoneId = "";
    it("refuses a secondary in words at body.node while a node has no DNS address", async () => {
      const created = await api("POST", Z, {
        name: ZONE,
        node: primary?.id,
        account: w.a,
        records: [
          { name: "@", type: "NS", value: "ns1" },
          { name: "ns1", type: "A", value: "127.0.0.1" },
          { name: "www", type: "A", value: "192.0.2.61" },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      zoneId = created.body.id;
      await settled(created.body.taskId);
      const add = (node: unknown, key?: string) =>
        api("POST", `${Z}/${zoneId}/secondaries`, { node }, key);
      const refusal = async (node: unknown, words: RegExp) => {
        const r = await add(node);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.details[0].field).toBe("body.node");
        expect(r.body.error.message).toMatch(words);
      };
      await refusal(secondary?.id, /node dns-secondary has no DNS address/);
      await refusal(primary?.id, /serves the zone already/);
      await refusal("node_0000000000nothere", /no node node_0000000000nothere/);
      // the secondary's address alone: the primary's is missing
      const set = await api("PATCH", `/api/v1/nodes/${secondary?.id}`, {
        dnsAddress: pdns?.resolver,
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body.dnsAddress).toBe(pdns?.resolver);
      await refusal(secondary?.id, /the zone's node dns-primary has no DNS address/);
      // another account's admin does not see the zone
      expect((await add(secondary?.id, w.keys.otherAdmin)).status).toBe(404);
      expect((await api("GET", `${Z}/${zoneId}/secondaries`)).body.items).toEqual([]);
    });

    it("serves the zone on the secondary, and a change on the primary reaches it", async () => {
      const set = await api("PATCH", `/api/v1/nodes/${primary?.id}`, {
        dnsAddress: bind?.resolver,
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      const added = await api("POST", `${Z}/${zoneId}/secondaries`, { node: secondary?.id });
      expect(added.status, JSON.stringify(added.body)).toBe(202);
      expect(added.body).toMatchObject({ nodeName: "dns-secondary", state: "pending" });
      await settled(added.body.taskId);
      const conf = readFileSync(join(bind?.zoneDir ?? "", "zones.conf"), "utf8");
      expect(conf).toContain(`also-notify { 127.0.0.1 port ${pdns?.port}; };`);
      expect(dig(secPort(), `www.${ZONE}`, "A")).toBe("192.0.2.61");
      const list = (await api("GET", `${Z}/${zoneId}/secondaries`)).body.items;
      expect(list).toMatchObject([
        {
          nodeId: secondary?.id,
          nodeName: "dns-secondary",
          address: pdns?.resolver,
          state: "active",
        },
      ]);
      const again = await api("POST", `${Z}/${zoneId}/secondaries`, { node: secondary?.id });
      expect(again.status).toBe(409);

      const records = (await api("GET", `${Z}/${zoneId}/records`)).body.items;
      const www = records.find((r: { name: string }) => r.name === "www");
      const changed = await api("PATCH", `${Z}/${zoneId}/records/${www.id}`, {
        value: "192.0.2.62",
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      await settled(changed.body.zone.taskId);
      // the primary's NOTIFY: the secondary transfers the new serial
      await expect
        .poll(() => dig(secPort(), `www.${ZONE}`, "A"), { timeout: 30_000, interval: 250 })
        .toBe("192.0.2.62");
      const deleting = await api("DELETE", `${Z}/${zoneId}`);
      expect(deleting.status).toBe(409);
      expect(deleting.body.error.message).toMatch(/has secondaries \(dns-secondary\)/);
    });

    it("stops serving the zone on the secondary once removed; the primary no longer allows it", async () => {
      const removed = await api("DELETE", `${Z}/${zoneId}/secondaries/${secondary?.id}`);
      expect(removed.status, JSON.stringify(removed.body)).toBe(202);
      expect(removed.body.state).toBe("removing");
      await settled(removed.body.taskId);
      expect(dig(secPort(), `www.${ZONE}`, "A")).toBe("");
      expect((await api("GET", `${Z}/${zoneId}/secondaries`)).body.items).toEqual([]);
      const zone = (await api("GET", `${Z}/${zoneId}`)).body;
      await settled(zone.taskId);
      const conf = readFileSync(join(bind?.zoneDir ?? "", "zones.conf"), "utf8");
      expect(conf).not.toContain("also-notify");
      expect(dig(bind?.port, `www.${ZONE}`, "A")).toBe("192.0.2.62");
      const again = await api("DELETE", `${Z}/${zoneId}/secondaries/${secondary?.id}`);
      expect(again.status).toBe(404);
      const deleted = await api("DELETE", `${Z}/${zoneId}`);
      expect(deleted.status).toBe(202);
      await settled(deleted.body.taskId);
    });
  },
);
