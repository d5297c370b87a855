// The database servers API on both dialects, against a real PostgreSQL over TLS (a CA made
// here; the installation's allow list names 127.0.0.1, as a test installation's would):
// create with its connection test (refused unless saveAnyway), the admin password sealed and
// never answered or audited, test on demand, lists walked by keyset, who may do what, bad
// input refused naming the field.
import { issueIdentity, makeCa } from "@steward/agent/testing";
import { dialects, type PostgresServer, startPostgres } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseCases, databaseItemCases } from "../../testing/hostile-database-cases.ts";
import { hostileWrong } from "../../testing/hostile-run.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const PASSWORD = "db-admin-secret-1";
let postgres: PostgresServer;
let ca: string;

beforeAll(async () => {
  const authority = await makeCa("Database API CA");
  ca = authority.ca;
  const tls = await issueIdentity(authority, "db.test", "server-and-client", ["127.0.0.1"]);
  const started = await startPostgres({ tls, passwords: true });
  if (!started) throw new Error("PostgreSQL is needed");
  postgres = started;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${PASSWORD}'`);
  await client.end();
}, 60_000);
afterAll(() => postgres?.stop());

describe.each(dialects())("database servers API on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const external = (over: Record<string, unknown> = {}) => ({
    placement: "external",
    name: "Shared PostgreSQL",
    engine: "postgres",
    accountId: w.a,
    host: "127.0.0.1",
    port: postgres.port,
    adminUser: "admin",
    adminPassword: PASSWORD,
    tls: { mode: "verify-full", ca },
    ...over,
  });
  const create = (key: string, body: Record<string, unknown>) =>
    s.request("POST", "/api/v1/database-servers", { key, body });

  it("creates an external server after testing it; the password is sealed, never shown", async () => {
    const made = await create(w.keys.accountAdmin, external());
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      placement: "external",
      engine: "postgres",
      tls: { mode: "verify-full", ca: true },
      test: { ok: true, problems: [] },
    });
    expect(made.body.version).toMatch(/PostgreSQL/);
    expect(JSON.stringify(made.body)).not.toContain(PASSWORD);
    const row = await s.svc.db.db
      .selectFrom("database_servers")
      .selectAll()
      .where("id", "=", made.body.id)
      .executeTakeFirstOrThrow();
    expect(row.admin_password_sealed).toMatch(/^v1:/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", made.body.id)
      .execute();
    expect(audit.map((e) => e.action)).toEqual(["database-server.create"]);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);

    const tested = await s.request("POST", `/api/v1/database-servers/${made.body.id}/test`, {
      key: w.keys.accountAdmin,
    });
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, problems: [] });
  });

  it("refuses a server whose test fails, naming why, unless saveAnyway", async () => {
    const bad = await create(w.keys.accountAdmin, external({ adminPassword: "wrong-password" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.[0]?.field).toBe("host");
    expect(bad.body.error.details?.[0]?.message).toContain("authentication failed for admin");
    const kept = await create(
      w.keys.accountAdmin,
      external({ adminPassword: "wrong-password", saveAnyway: true, name: "Kept" }),
    );
    expect(kept.status).toBe(201);
    expect(kept.body.test).toMatchObject({ ok: false, problems: [{ kind: "authentication" }] });
    const tls = await create(
      w.keys.accountAdmin,
      external({ tls: { mode: "disable" }, saveAnyway: true, name: "Plain" }),
    );
    expect(tls.body.test.ok).toBe(true);
  });

  it("lets the account's admins manage, its readers read, others see nothing", async () => {
    const made = await create(w.keys.accountAdmin, external({ name: "Access" }));
    const id = made.body.id;
    const as = (key: string, method: "GET" | "POST", url: string) =>
      s.request(method, url, { key });
    expect((await as(w.keys.reader, "GET", `/api/v1/database-servers/${id}`)).status).toBe(200);
    expect((await as(w.keys.reader, "POST", `/api/v1/database-servers/${id}/test`)).status).toBe(
      403,
    );
    expect((await as(w.keys.otherAdmin, "GET", `/api/v1/database-servers/${id}`)).status).toBe(404);
    expect((await create(w.keys.accountAdmin, external({ accountId: null }))).status).toBe(403);
    expect((await create(w.keys.super, external({ accountId: null, name: "Shared" }))).status).toBe(
      201,
    );
    const otherList = await as(w.keys.otherAdmin, "GET", "/api/v1/database-servers");
    expect(otherList.body.items).toEqual([]);
  });

  it("walks the list by name, a page at a time", async () => {
    const names: string[] = [];
    let cursor = "";
    for (;;) {
      const page = await s.request(
        "GET",
        `/api/v1/database-servers?sort=name&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        { key: w.keys.super },
      );
      expect(page.status).toBe(200);
      names.push(...page.body.items.map((i: { name: string }) => i.name));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    expect(names.length).toBeGreaterThanOrEqual(4);
    expect(names).toEqual([...names].sort());
  });

  it.each([
    [{ name: "" }, "body.name"],
    [{ host: "db'; drop" }, "body.host"],
    [{ port: 0 }, "body.port"],
    [{ engine: "oracle" }, "body.engine"],
    [{ tls: { mode: "prefer" } }, "body.tls.mode"],
    [{ adminPassword: "a\u0000b" }, "body.adminPassword"],
    [{ host: "10.0.0.1" }, "host"],
  ])("refuses %j naming %s", async (over, field) => {
    const r = await create(w.keys.accountAdmin, external(over));
    expect(r.status).toBe(400);
    expect(r.body.error.details?.map((d: { field: string }) => d.field)).toContain(field);
  });

  // the database servers' part of http/hostile-input.test.ts (which checks every route has cases)
  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    const server = (await create(w.keys.accountAdmin, external({ name: "Hostile" }))).body.id;
    const all = [...databaseCases(server), ...databaseItemCases(server)];
    expect(await hostileWrong(s, w.keys.super, all)).toEqual([]);
  }, 240_000);
});
