// The DNS zones API on both dialects, no agent (tasks stay queued): a zone and its apply task
// are written together, a template fills a new zone, every change is checked as a whole zone
// first (400 naming the field, nothing written), moves the serial and is audited; import and
// export round-trip; a zone is its account's.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const NS = { name: "@", type: "NS", value: "ns1.example.net." };
const Z = "/api/v1/dns/zones";

describe.each(dialects())("DNS zones API on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let node: string;
  beforeAll(async () => {
    node = await trustedNode(s, "dns1");
  });
  const api = (method: string, url: string, body?: unknown, key = w.keys.super) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const tasksOf = (id: string) =>
    s.svc.db.db.selectFrom("tasks").selectAll().where("target_id", "=", id).execute();
  const auditOf = (id: string) =>
    s.svc.db.db.selectFrom("audit_events").select("action").where("target_id", "=", id).execute();

  it("creates a zone from a template with its apply task, in one go", async () => {
    const res = await api("POST", Z, {
      name: "Shop.Example.COM",
      node,
      account: w.a,
      template: {
        nameservers: ["ns1.example.net.", "ns2.example.net."],
        ipv4: "192.0.2.10",
        ipv6: "2001:db8::10",
        dmarcReport: "dmarc@example.com",
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      name: "shop.example.com",
      status: "pending",
      appliedSerial: null,
      records: 12,
    });
    expect(String(res.body.serial)).toMatch(/^20\d{6}00$/);
    const tasks = await tasksOf(res.body.id);
    expect(tasks.map((t) => [t.id, t.kind, t.state])).toEqual([
      [res.body.taskId, "dns.zone.apply", "queued"],
    ]);
    const task = await api("GET", `/api/v1/tasks/${res.body.taskId}`);
    expect(task.body.title).toBe("apply DNS zone shop.example.com");
    const records = await api("GET", `${Z}/${res.body.id}/records`);
    expect(
      records.body.items.map(
        (r: { name: string; type: string; value: string }) => `${r.name} ${r.type} ${r.value}`,
      ),
    ).toEqual([
      "@ NS ns1.example.net.",
      "@ NS ns2.example.net.",
      "@ A 192.0.2.10",
      "@ AAAA 2001:db8::10",
      "www A 192.0.2.10",
      "www AAAA 2001:db8::10",
      "mail A 192.0.2.10",
      "mail AAAA 2001:db8::10",
      "@ MX 10 mail.shop.example.com.",
      "@ TXT v=spf1 mx -all",
      "_dmarc TXT v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
      "default._domainkey TXT v=DKIM1; k=rsa; p=",
    ]);
    expect(await auditOf(res.body.id)).toEqual([{ action: "dns.zone.create" }]);
    const again = await api("POST", Z, { name: "shop.example.com", node, records: [NS] });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual([expect.objectContaining({ field: "name" })]);
  });

  it("changes records one at a time: checked with the zone, serial moved, one task reused", async () => {
    const zone = (
      await api("POST", Z, { name: "edit.example.com", node, account: w.a, records: [NS] })
    ).body;
    const added = await api("POST", `${Z}/${zone.id}/records`, {
      name: "www",
      type: "A",
      value: "192.0.2.1",
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.record).toMatchObject({
      name: "www",
      type: "A",
      ttl: 3600,
      value: "192.0.2.1",
    });
    expect(added.body.zone.serial).toBe(zone.serial + 1);
    const cname = await api("POST", `${Z}/${zone.id}/records`, {
      name: "www",
      type: "CNAME",
      value: "web.example.net.",
    });
    expect(cname.status).toBe(400);
    expect(cname.body.error.details[0]).toEqual({
      field: "body.name",
      message: expect.stringMatching(/^a CNAME cannot be beside other records/),
    });
    const recordId = added.body.record.id;
    const changed = await api("PATCH", `${Z}/${zone.id}/records/${recordId}`, {
      value: "192.0.2.2",
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.record).toMatchObject({ id: recordId, value: "192.0.2.2" });
    const lastNs = (await api("GET", `${Z}/${zone.id}/records`)).body.items[0].id;
    const refused = await api("DELETE", `${Z}/${zone.id}/records/${lastNs}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe("records: a zone needs at least one NS record at @");
    const removed = await api("DELETE", `${Z}/${zone.id}/records/${recordId}`);
    expect(removed.status).toBe(200);
    expect(removed.body.zone).toMatchObject({
      records: 1,
      serial: zone.serial + 3,
      status: "pending",
    });
    expect(await tasksOf(zone.id)).toHaveLength(1);
    expect((await auditOf(zone.id)).map((a) => a.action).sort()).toEqual([
      "dns.record.create",
      "dns.record.delete",
      "dns.record.update",
      "dns.zone.create",
    ]);
  });

  it("imports a zone file and exports it again (round trip), naming the line of a problem", async () => {
    const zone = (
      await api("POST", Z, { name: "import.example.com", node, account: w.a, records: [NS] })
    ).body;
    const file = [
      "$ORIGIN import.example.com.",
      "$TTL 300",
      "@ IN SOA ns1.example.net. hostmaster.import.example.com. ( 5 3600 600 1209600 300 )",
      "@ NS ns1.example.net.",
      "www 600 IN A 192.0.2.5",
      '@ TXT "v=spf1 mx -all"',
      'quote TXT "say \\"hi\\"; ok"',
      "@ MX 10 mail.example.net.",
    ].join("\n");
    const imported = await api("POST", `${Z}/${zone.id}/import`, { zoneFile: file });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.records).toBe(5);
    const exported = await api("GET", `${Z}/${zone.id}/export`);
    expect(exported.body.zoneFile).toContain('quote 300 IN TXT "say \\"hi\\"; ok"');
    const other = (
      await api("POST", Z, { name: "copy.example.com", node, account: w.a, records: [NS] })
    ).body;
    const copy = exported.body.zoneFile.replaceAll("import.example.com", "copy.example.com");
    expect((await api("POST", `${Z}/${other.id}/import`, { zoneFile: copy })).status).toBe(200);
    const a = (await api("GET", `${Z}/${zone.id}/records`)).body.items.map(
      ({ id: _id, ...r }: { id: string }) => r,
    );
    const b = (await api("GET", `${Z}/${other.id}/records`)).body.items.map(
      ({ id: _id, ...r }: { id: string }) => r,
    );
    expect(b).toEqual(a);
    const bad = await api("POST", `${Z}/${zone.id}/import`, {
      zoneFile: "@ NS ns1.example.net.\nx A 192.0.2.1\nx CNAME y.example.net.\n",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^body\.zoneFile: line 3: records\.2\.name: a CNAME cannot be beside/,
    );
  });

  it("adds a new site's records to the managed zone when asked", async () => {
    const zone = (
      await api("POST", Z, { name: "sites.example.com", node, account: w.a, records: [NS] })
    ).body;
    const site = await api("POST", "/api/v1/sites", {
      node,
      account: w.a,
      kind: "static",
      domains: ["blog.sites.example.com"],
      aliases: ["other.example.org"],
      dnsRecords: { ipv4: "192.0.2.77", ipv6: "2001:db8::77" },
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    const records = (await api("GET", `${Z}/${zone.id}/records`)).body.items;
    expect(
      records.map(
        (r: { name: string; type: string; value: string }) => `${r.name} ${r.type} ${r.value}`,
      ),
    ).toEqual(["@ NS ns1.example.net.", "blog A 192.0.2.77", "blog AAAA 2001:db8::77"]);
    expect((await api("GET", `${Z}/${zone.id}`)).body.serial).toBe(zone.serial + 1);
    const bad = await api("POST", "/api/v1/sites", {
      node,
      kind: "static",
      domains: ["x.sites.example.com"],
      dnsRecords: {},
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe("body.dnsRecords");
  });

  it("keeps a zone to its account: strangers are told it does not exist, readers cannot change it", async () => {
    const zone = (
      await api("POST", Z, { name: "private.example.com", node, account: w.a, records: [NS] })
    ).body;
    expect((await api("GET", `${Z}/${zone.id}`, undefined, w.keys.otherAdmin)).status).toBe(404);
    expect((await api("GET", `${Z}/${zone.id}/records`, undefined, w.keys.reader)).status).toBe(
      200,
    );
    const write = await api(
      "POST",
      `${Z}/${zone.id}/records`,
      { name: "x", type: "A", value: "192.0.2.1" },
      w.keys.reader,
    );
    expect(write.status).toBe(403);
    const listed = await api("GET", `${Z}?account=${w.a}`, undefined, w.keys.otherAdmin);
    expect(listed.body.items).toEqual([]);
    const deleted = await api("DELETE", `${Z}/${zone.id}`);
    expect(deleted.body).toMatchObject({ status: "deleting" });
    const change = await api("POST", `${Z}/${zone.id}/records`, {
      name: "x",
      type: "A",
      value: "192.0.2.1",
    });
    expect(change.status).toBe(409);
  });
});
