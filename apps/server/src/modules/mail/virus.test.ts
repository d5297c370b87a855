// A mail domain's virus scanning through the API (PUT /mail/domains/{id}/virus): reject needs
// rspamd and clamd in the node's facts (a domain read says so: virusAvailable); what is set is
// what the node's next mail.apply carries (its `virus`), audited. Hostile values:
// testing/hostile-mail-cases.ts; the round trip with a real Postfix, rspamd and clamd on a
// node: apps/agent/src/ops/mail/virus.test.ts.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { setFacts } from "../nodes/repo.ts";
import { nodeMailState } from "./tasks.ts";

const facts = (services: string[]) => ({
  hostname: "mail-node",
  os: { id: "debian", name: "Debian", version: "12", kernel: "6.1" },
  arch: "x64",
  cpus: 2,
  memory: { totalBytes: 1, availableBytes: 1 },
  disks: [],
  services: ["rspamd", "clamd"].map((name) => ({
    name,
    installed: services.includes(name),
    version: null,
    running: true,
  })),
  systemd: true,
  collectedAt: new Date().toISOString(),
});

describe("a mail domain's virus scanning", () => {
  const s = useServer(dialects()[0] ?? "sqlite");
  const w = useWorld(s);
  let node: string;
  let domain: string;
  beforeAll(async () => {
    node = await trustedNode(s, "mail-virus");
    domain = (await s.svc.mail.create(s.cli, { name: "virus.example.org", node, account: w.a })).id;
  });
  const put = (body: unknown, key = w.keys.super) =>
    s.request("PUT", `/api/v1/mail/domains/${domain}/virus`, { key, body });
  const read = async () =>
    (await s.request("GET", `/api/v1/mail/domains/${domain}`, { key: w.keys.super })).body;

  it("is off at first, and reject needs rspamd and clamd on the node", async () => {
    expect(await read()).toMatchObject({ virusFilter: "off", virusAvailable: false });
    for (const installed of [[], ["clamd"], ["rspamd"]]) {
      await setFacts(s.svc.db.db, node, facts(installed));
      expect(await read()).toMatchObject({ virusAvailable: false });
      const refused = await put({ virusFilter: "reject" });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain("body.virusFilter");
      expect(JSON.stringify(refused.body)).toContain("no virus scanner");
    }
    expect(await read()).toMatchObject({ virusFilter: "off" });
    expect((await nodeMailState(s.svc.db.db, node)).input.virus).toEqual([]);
  });

  it("is carried by the node's next mail.apply once set, and audited", async () => {
    await setFacts(s.svc.db.db, node, facts(["rspamd", "clamd"]));
    expect(await read()).toMatchObject({ virusAvailable: true, spamAvailable: true });
    const listed = await s.request("GET", "/api/v1/mail/domains", { key: w.keys.super });
    const item = (listed.body as { items: object[] }).items[0];
    expect(item).toMatchObject({ virusFilter: "off" });
    expect(item).not.toHaveProperty("virusAvailable");
    const on = await put({ virusFilter: "reject" });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ virusFilter: "reject", spamFilter: "off", status: "pending" });
    expect(typeof (on.body as { taskId: unknown }).taskId).toBe("string");
    expect((await nodeMailState(s.svc.db.db, node)).input).toMatchObject({
      virus: ["virus.example.org"],
      spam: [],
    });
    const audit = await s.request("GET", "/api/v1/audit-events?action=mail.domain.virus", {
      key: w.keys.super,
    });
    expect((audit.body as { items: { diff: unknown }[] }).items[0]?.diff).toEqual({
      before: { virusFilter: "off" },
      after: { virusFilter: "reject" },
    });
    await put({ virusFilter: "off" });
    expect((await nodeMailState(s.svc.db.db, node)).input.virus).toEqual([]);
  });

  it("is another account's domain to no one else, and a reader cannot change it", async () => {
    const other = await put({ virusFilter: "off" }, w.keys.otherAdmin);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain("virus.example.org");
    expect((await put({ virusFilter: "reject" }, w.keys.reader)).status).toBe(403);
    expect(await read()).toMatchObject({ virusFilter: "off" });
  });
});
