// Database and server sources in the panel (their dumps run on the agent once the database
// adapters land): stored, checked through the databases module's executor (a node that does
// not answer fails the check: refused unless saveAnyway, the check kept), another account's
// database or a shared server looking missing, an external server the panel reaches itself
// refused, and a server source expanded at run time into one run per database of the server.
import { backupDestinationCreate, backupPlanCreate } from "@steward/contracts/backups";
import { describe, expect, it } from "vitest";
import { markTrusted } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { insertDatabase } from "../databases/items-repo.ts";
import { insertServer } from "../databases/repo.ts";

describe("database and server sources", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  const api = (body: unknown, key = w.keys.accountAdmin) =>
    s.request("POST", "/api/v1/backup-sources", { key, body });

  it("checks, stores and expands database sources; refuses what is not the account's", async () => {
    // a node whose agent does not answer (nothing listens on port 1)
    const node = await s.svc.nodes.create(s.cli, {
      name: "db-node",
      agentUrl: "https://127.0.0.1:1",
    });
    await markTrusted(s, node.id);
    const k = s.svc.db.db;
    const server = (id: string, account: string | null, over: Record<string, unknown> = {}) =>
      insertServer(k, {
        id,
        account_id: account,
        name: id,
        engine: "postgres",
        placement: "on-node",
        node_id: node.id,
        created_at: 1,
        updated_at: 1,
        ...over,
      });
    await server("dbs_a", w.a);
    await server("dbs_b", w.b);
    await server("dbs_shared", null);
    await server("dbs_panel", w.a, {
      placement: "external",
      node_id: null,
      host: "db.example.com",
      port: 5432,
    });
    const database = (id: string, serverId: string, account: string | null, name: string) =>
      insertDatabase(k, {
        id,
        server_id: serverId,
        account_id: account,
        name,
        engine: "postgres",
        size_bytes: null,
        sized_at: null,
        created_at: 1,
        updated_at: 1,
      });
    await database("db_shop", "dbs_a", w.a, "shop");
    await database("db_blog", "dbs_a", w.a, "blog");
    await database("db_b", "dbs_b", w.b, "theirs");
    await database("db_panel", "dbs_panel", w.a, "remote");

    const source = (kind: Record<string, unknown>, saveAnyway = false) => ({
      name: "db",
      accountId: w.a,
      source: kind,
      saveAnyway,
    });
    const refused = await api(source({ kind: "database", databaseId: "db_shop" }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].field).toBe("source.databaseId");
    expect(refused.body.error.message).toMatch(/check failed/);

    const kept = await api(source({ kind: "database", databaseId: "db_shop" }, true));
    expect(kept.status, JSON.stringify(kept.body)).toBe(201);
    expect(kept.body).toMatchObject({
      kind: "database",
      nodeId: node.id,
      databaseId: "db_shop",
      serverId: "dbs_a",
      settings: { engine: "postgres", database: "shop" },
      lastCheck: { ok: false, databases: null },
    });
    const whole = await api(source({ kind: "server", serverId: "dbs_a" }, true));
    expect(whole.status, JSON.stringify(whole.body)).toBe(201);

    for (const [kind, field] of [
      [{ kind: "database", databaseId: "db_b" }, "source.databaseId"],
      [{ kind: "database", databaseId: "db_nothere" }, "source.databaseId"],
      [{ kind: "server", serverId: "dbs_b" }, "source.serverId"],
      [{ kind: "server", serverId: "dbs_shared" }, "source.serverId"],
      [{ kind: "database", databaseId: "db_panel" }, "source.databaseId"],
    ] as const) {
      const answer = await api(source(kind, true));
      expect(answer.status, JSON.stringify([kind, answer.body])).toBe(400);
      expect(answer.body.error.details[0].field).toBe(field);
      expect(JSON.stringify(answer.body)).not.toMatch(/theirs|dbs_b's/);
    }
    // another account's admin neither sees the source nor uses it in a plan
    const other = await s.request("GET", `/api/v1/backup-sources/${kept.body.id}`, {
      key: w.keys.otherAdmin,
    });
    expect(other.status).toBe(404);

    // a plan of the server source: run now makes one run per database of the server
    const destination = await s.svc.backups.create(
      s.cli,
      backupDestinationCreate.parse({
        name: "disk",
        accountId: w.a,
        settings: { kind: "local", nodeId: node.id, path: "/var/backups" },
        saveAnyway: true,
      }),
    );
    const plan = await s.svc.backupPlans.create(
      s.cli,
      backupPlanCreate.parse({
        name: "databases",
        accountId: w.a,
        sourceIds: [whole.body.id, kept.body.id],
        destinationIds: [destination.id],
      }),
    );
    const ran = await s.request("POST", `/api/v1/backup-plans/${plan.id}/run`, {
      key: w.keys.operator,
    });
    expect(ran.status).toBe(202);
    expect(ran.body.runs.map((r: { description: string }) => r.description)).toEqual([
      "blog",
      "shop",
      "shop",
    ]);
    const runs = await s.request("GET", `/api/v1/backup-runs?plan=${plan.id}&status=queued`, {
      key: w.keys.reader,
    });
    expect(runs.body.items).toHaveLength(3);
    expect(runs.body.items[0]).toMatchObject({ nodeId: node.id, status: "queued" });
    // a source a plan uses stays
    const removed = await s.request("DELETE", `/api/v1/backup-sources/${kept.body.id}`, {
      key: w.keys.accountAdmin,
    });
    expect(removed.status).toBe(409);
    expect(removed.body.error.message).toContain("databases");
  });
});
