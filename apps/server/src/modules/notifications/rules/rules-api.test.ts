// Notification rules and the delivery log through the API on both databases: a rule made,
// read, changed and deleted by its account's admin (audited, the dispatcher told at once), its
// channels only of its scope, installation rules for super users only; a channel's delivery
// log of what the dispatcher sent, by state, for who may read the channel; the emergency contact.
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { auditRows } from "../../../testing/auth.ts";
import { HOOK_SECRET, siteFailed, until, webhookChannel } from "../../../testing/dispatch.ts";
import { useServer, useWorld } from "../../../testing/use-server.ts";
import { useFake } from "../channels/fakes/use-fake.ts";
import { webhookFake } from "../channels/fakes/webhook.ts";

const fake = useFake(webhookFake(HOOK_SECRET));
const RULES = "/api/v1/notification-rules";

describe.each(dialects())("notification rules API on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let mine = "";
  let installation = "";
  beforeAll(async () => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    mine = await webhookChannel(s, w.keys.accountAdmin, w.a, "api-a", fake);
    installation = await webhookChannel(s, w.keys.super, null, "api-installation", fake);
  });

  it("makes, reads, changes and deletes a rule of an account, audited", async () => {
    const made = await s.request("POST", RULES, {
      key: w.keys.accountAdmin,
      body: { name: "shops", account: w.a, settings: { eventTypes: ["site."] }, channels: [mine] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      enabled: true,
      settings: { eventTypes: ["site."], minSeverity: "info", outcome: "any", groupSeconds: 0 },
      channels: [{ id: mine, name: "api-a" }],
    });
    const id = made.body.id as string;
    expect((await s.request("GET", `${RULES}/${id}`, { key: w.keys.reader })).status).toBe(200);
    expect((await s.request("GET", `${RULES}/${id}`, { key: w.keys.otherAdmin })).status).toBe(404);
    const listed = await s.request("GET", RULES, { key: w.keys.reader });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const changed = await s.request("PATCH", `${RULES}/${id}`, {
      key: w.keys.accountAdmin,
      body: { settings: { eventTypes: ["site.failed"], groupSeconds: 30 }, enabled: false },
    });
    expect(changed.body).toMatchObject({ enabled: false, settings: { groupSeconds: 30 } });
    const removed = await s.request("DELETE", `${RULES}/${id}`, { key: w.keys.accountAdmin });
    expect(removed.status).toBe(204);
    const actions = (await auditRows(s)).map((a) => a.action);
    for (const verb of ["create", "update", "delete"])
      expect(actions).toContain(`notification_rule.${verb}`);
  });

  it("names only channels of the rule's scope; installation rules are for super users", async () => {
    const other = await s.request("POST", RULES, {
      key: w.keys.super,
      body: { name: "wide", settings: { eventTypes: [""] }, channels: [mine] },
    });
    expect(other.status).toBe(400);
    expect(other.body.error.details[0].field).toBe("channels.0");
    const refused = await s.request("POST", RULES, {
      key: w.keys.accountAdmin,
      body: { name: "wide", settings: { eventTypes: [""] }, channels: [installation] },
    });
    expect(refused.status).toBe(403);
    const wide = await s.request("POST", RULES, {
      key: w.keys.super,
      body: { name: "wide", settings: { eventTypes: [""] }, channels: [installation] },
    });
    expect(wide.status).toBe(201);
    expect(
      (await s.request("GET", `${RULES}/${wide.body.id}`, { key: w.keys.reader })).status,
    ).toBe(404);
    await s.request("DELETE", `${RULES}/${wide.body.id}`, { key: w.keys.super });
  });

  it("shows a channel's delivery log to who may read the channel, by state", async () => {
    const made = await s.request("POST", RULES, {
      key: w.keys.accountAdmin,
      body: { name: "log", account: w.a, settings: { eventTypes: ["site."] }, channels: [mine] },
    });
    expect(made.status).toBe(201);
    await siteFailed(s, w.a, `log-${dialect}.example.com`);
    const log = (key: string, query = "") =>
      s.request("GET", `/api/v1/notification-channels/${mine}/deliveries${query}`, { key });
    await until(async () => (await log(w.keys.reader, "?state=sent")).body.items?.length === 1);
    const [sent] = (await log(w.keys.reader)).body.items;
    expect(sent).toMatchObject({ ruleId: made.body.id, eventType: "site.failed", status: 204 });
    expect(sent.request.url).toContain("/hooks/api-a");
    expect(JSON.stringify(sent)).not.toContain(HOOK_SECRET);
    expect((await log(w.keys.reader, "?state=failed")).body.items).toEqual([]);
    expect((await log(w.keys.otherAdmin)).status).toBe(404);
    const one = await s.request("GET", `/api/v1/notification-deliveries/${sent.id}`, {
      key: w.keys.reader,
    });
    expect(one.body.id).toBe(sent.id);
  });

  it("keeps the emergency contact: an installation channel, set by super users", async () => {
    const path = "/api/v1/notification-settings";
    const set = await s.request("PUT", path, {
      key: w.keys.super,
      body: { emergencyChannel: installation },
    });
    expect(set.body).toEqual({ emergencyChannel: installation });
    expect((await s.request("GET", path, { key: w.keys.super })).body).toEqual(set.body);
    const wrong = await s.request("PUT", path, {
      key: w.keys.super,
      body: { emergencyChannel: mine },
    });
    expect(wrong.body.error.details[0].field).toBe("emergencyChannel");
    await s.request("PUT", path, { key: w.keys.super, body: { emergencyChannel: null } });
  });
});
