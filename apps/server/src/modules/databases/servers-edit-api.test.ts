// Changing and removing database servers, and the engine filter of the databases and users
// lists, against a real MariaDB and a real PostgreSQL reached as external servers (the
// installation's allow list names 127.0.0.1): a rename; a new password tested first (a wrong
// one refused naming the field and changing nothing, kept with saveAnyway, then the right one);
// a delete refused in words while Steward manages databases or users there, then done and
// audited; who may do each.
import {
  type MariadbServer,
  type PostgresServer,
  startMariadb,
  startPostgres,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServer, useWorld } from "../../testing/use-server.ts";

const PASSWORD = "db-edit-secret-1";
let mariadb: MariadbServer;
let postgres: PostgresServer;

beforeAll(async () => {
  const [m, p] = await Promise.all([startMariadb(), startPostgres({ passwords: true })]);
  if (!m || !p) throw new Error("MariaDB and PostgreSQL are needed");
  [mariadb, postgres] = [m, p];
  await mariadb.sql(
    [
      `CREATE USER 'admin'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`,
      "GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION",
    ].join("; "),
  );
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${PASSWORD}'`);
  await client.end();
}, 120_000);
afterAll(() => Promise.all([mariadb?.stop(), postgres?.stop()]));

interface Item {
  id: string;
  name: string;
  engine: string;
}

describe("changing and removing database servers", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const ids: Record<string, string> = {};
  const S = "/api/v1/database-servers";

  beforeAll(async () => {
    for (const engine of ["mariadb", "postgres"] as const) {
      const made = await api("POST", S, {
        placement: "external",
        name: `${engine} server`,
        engine,
        accountId: w.a,
        host: "127.0.0.1",
        port: engine === "mariadb" ? mariadb.port : postgres.port,
        adminUser: "admin",
        adminPassword: PASSWORD,
        tls: { mode: "disable" },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const server = made.body.id as string;
      ids[engine] = server;
      const short = engine.slice(0, 2);
      const db = await api("POST", "/api/v1/databases", {
        serverId: server,
        name: `shop_${short}`,
      });
      expect(db.status, JSON.stringify(db.body)).toBe(201);
      const user = await api("POST", "/api/v1/database-users", {
        serverId: server,
        name: `shop_${short}_u`,
        ...(engine === "mariadb" ? { hosts: ["127.0.0.1"] } : {}),
        grants: [{ databaseId: db.body.id, level: { kind: "all" } }],
      });
      expect(user.status, JSON.stringify(user.body)).toBe(201);
      ids[`${engine}-db`] = db.body.id;
      ids[`${engine}-user`] = user.body.id;
    }
  }, 120_000);

  it("filters the databases and users lists by engine, for admins and readers", async () => {
    for (const key of [w.keys.accountAdmin, w.keys.reader, w.keys.super])
      for (const engine of ["mariadb", "postgres"])
        for (const list of ["databases", "database-users"]) {
          const page = await api("GET", `/api/v1/${list}?engine=${engine}`, undefined, key);
          expect(page.status).toBe(200);
          const items = page.body.items as Item[];
          expect(items.map((i) => i.engine)).toEqual(items.map(() => engine));
          const short = engine.slice(0, 2);
          const name = list === "databases" ? `shop_${short}` : `shop_${short}_u`;
          expect(items.map((i) => i.name)).toContain(name);
        }
    const other = await api(
      "GET",
      "/api/v1/databases?engine=mariadb",
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.body.items).toEqual([]);
    const bad = await api("GET", "/api/v1/database-users?engine=oracle");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe("querystring.engine");
  });

  it("renames; a new password is tested first, refused naming the field unless saveAnyway", async () => {
    const url = `${S}/${ids.mariadb}`;
    const renamed = await api("PATCH", url, { name: "Shop MariaDB" });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Shop MariaDB", test: null });

    const wrong = await api("PATCH", url, { adminPassword: "not-the-password" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]).toMatchObject({ field: "adminPassword" });
    expect(wrong.body.error.details[0].message).toContain("authentication failed");
    // nothing changed: the server still connects with the old password
    expect((await api("POST", `${url}/test`)).body).toMatchObject({ ok: true });

    const kept = await api("PATCH", url, { adminPassword: "not-the-password", saveAnyway: true });
    expect(kept.status).toBe(200);
    expect(kept.body.test).toMatchObject({ ok: false, problems: [{ kind: "authentication" }] });
    expect(kept.body.lastTest).toMatchObject({ ok: false });
    expect((await api("POST", `${url}/test`)).body).toMatchObject({ ok: false });

    const fixed = await api("PATCH", url, { adminPassword: PASSWORD, tls: { mode: "disable" } });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.test).toMatchObject({ ok: true, problems: [] });
    expect(fixed.body.version).toMatch(/MariaDB/i);

    const port = await api("PATCH", url, { port: postgres.port });
    expect(port.status).toBe(400);
    expect(port.body.error.details[0].field).toBe("host");
    expect((await api("GET", url)).body).toMatchObject({
      port: mariadb.port,
      name: "Shop MariaDB",
    });

    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .selectAll()
      .where("target_id", "=", ids.mariadb ?? "")
      .where("action", "=", "database-server.update")
      .where("outcome", "=", "success")
      .execute();
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain("not-the-password");
  });

  it("refuses a connection change of a node's own server, and strangers", async () => {
    const onNode = await api("POST", S, {
      placement: "on-node",
      name: "node server",
      engine: "postgres",
      nodeId: "nod_00000000000000000000000000",
      accountId: w.a,
      saveAnyway: true,
    });
    const host = await api("PATCH", `${S}/${onNode.body.id}`, { host: "db.example.com" });
    expect(host.status).toBe(400);
    expect(host.body.error.details[0]).toMatchObject({
      field: "host",
      message: expect.stringContaining("only applies to external servers"),
    });
    const url = `${S}/${ids.postgres}`;
    expect((await api("PATCH", url, { name: "x" }, w.keys.reader)).status).toBe(403);
    expect((await api("PATCH", url, { name: "x" }, w.keys.otherAdmin)).status).toBe(404);
    expect((await api("DELETE", `${url}?confirm=x`, undefined, w.keys.reader)).status).toBe(403);
    expect((await api("DELETE", `${url}?confirm=x`, undefined, w.keys.otherAdmin)).status).toBe(
      404,
    );
  });

  it("removes a server only once Steward manages nothing on it, audited", async () => {
    const url = `${S}/${ids.postgres}`;
    const named = (await api("GET", url)).body.name as string;
    const wrong = await api("DELETE", `${url}?confirm=nope`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0].field).toBe("confirm");
    const busy = await api("DELETE", `${url}?confirm=${encodeURIComponent(named)}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(
      `Steward still manages 1 database (shop_po) and 1 user (shop_po_u) on ${named}: delete them in Steward first. The server was not removed.`,
    );
    expect((await api("GET", url)).status).toBe(200);

    const user = await api(
      "DELETE",
      `/api/v1/database-users/${ids["postgres-user"]}?confirm=shop_po_u`,
    );
    expect(user.status).toBe(200);
    const db = await api("DELETE", `/api/v1/databases/${ids["postgres-db"]}?confirm=shop_po`);
    expect(db.status).toBe(200);
    const gone = await api("DELETE", `${url}?confirm=${encodeURIComponent(named)}`);
    expect(gone.status, JSON.stringify(gone.body)).toBe(200);
    expect((await api("GET", url)).status).toBe(404);
    const listed = await api("GET", S);
    expect(listed.body.items.map((i: Item) => i.id)).not.toContain(ids.postgres);
    const audit = await s.svc.db.db
      .selectFrom("audit_events")
      .select("action")
      .where("target_id", "=", ids.postgres ?? "")
      .where("outcome", "=", "success")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "database-server.create",
      "database-server.delete",
    ]);
    // the other server is untouched
    expect((await api("GET", `${S}/${ids.mariadb}`)).status).toBe(200);
  });
});
