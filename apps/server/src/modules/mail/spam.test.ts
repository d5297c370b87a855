// A mail domain's spam setting through the API (PUT /mail/domains/{id}/spam): tag and reject
// need rspamd in the node's facts (a domain read says so: spamAvailable); what is set is what the node's next mail.apply carries
// (its `spam`). Hostile values: testing/hostile-mail-cases.ts; the rspamd round trip on a
// node: apps/agent/src/ops/mail/spam.test.ts.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { setFacts } from "../nodes/repo.ts";
import { nodeMailState } from "./tasks.ts";

const facts = (services: { name: string; installed: boolean }[]) => ({
  hostname: "mail-node",
  os: { id: "debian", name: "Debian", version: "12", kernel: "6.1" },
  arch: "x64",
  cpus: 2,
  memory: { totalBytes: 1, availableBytes: 1 },
  disks: [],
  services: services.map((s) => ({ ...s, version: null, running: true })),
  systemd: true,
  collectedAt: new Date().toISOString(),
});

describe("a mail domain's spam filter", () => {
  const s = useServer(dialects()[0] ?? "sqlite");
  const w = useWorld(s);
  let node: string;
  let domain: string;
  beforeAll(async () => {
    node = await trustedNode(s, "mail-spam");
    domain = (await s.svc.mail.create(s.cli, { name: "spam.example.org", node, account: w.a })).id;
  });
  const put = (body: unknown) =>
    s.request("PUT", `/api/v1/mail/domains/${domain}/spam`, { key: w.keys.super, body });

  it("is off with 30 days of Junk at first, and tag needs rspamd on the node", async () => {
    const got = await s.request("GET", `/api/v1/mail/domains/${domain}`, { key: w.keys.super });
    expect(got.body).toMatchObject({ spamFilter: "off", junkDays: 30, spamAvailable: false });
    await setFacts(s.svc.db.db, node, facts([{ name: "rspamd", installed: false }]));
    const read = await s.request("GET", `/api/v1/mail/domains/${domain}`, { key: w.keys.super });
    expect(read.body).toMatchObject({ spamAvailable: false });
    const refused = await put({ spamFilter: "tag" });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("body.spamFilter");
    expect((await nodeMailState(s.svc.db.db, node)).input.spam).toEqual([]);
  });

  it("is carried by the node's next mail.apply once set", async () => {
    await setFacts(s.svc.db.db, node, facts([{ name: "rspamd", installed: true }]));
    const read = await s.request("GET", `/api/v1/mail/domains/${domain}`, { key: w.keys.super });
    expect(read.body).toMatchObject({ spamAvailable: true });
    const listed = await s.request("GET", "/api/v1/mail/domains", { key: w.keys.super });
    expect((listed.body as { items: object[] }).items[0]).not.toHaveProperty("spamAvailable");
    const tagged = await put({ spamFilter: "tag", junkDays: 14 });
    expect(tagged.status).toBe(200);
    expect(tagged.body).toMatchObject({ spamFilter: "tag", junkDays: 14, status: "pending" });
    expect(typeof (tagged.body as { taskId: unknown }).taskId).toBe("string");
    expect((await nodeMailState(s.svc.db.db, node)).input.spam).toEqual([
      { domain: "spam.example.org", filter: "tag" },
    ]);
    expect((await put({ spamFilter: "reject" })).body).toMatchObject({ junkDays: 30 });
    expect((await nodeMailState(s.svc.db.db, node)).input.spam).toEqual([
      { domain: "spam.example.org", filter: "reject" },
    ]);
    await put({ spamFilter: "off" });
    expect((await nodeMailState(s.svc.db.db, node)).input.spam).toEqual([]);
  });
});
