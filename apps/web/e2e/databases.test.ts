// The SQL console page against a real panel and a real PostgreSQL reached as an external
// server: a statement's rows under their columns' types, a write refused in read mode (the
// refusal under the field), write mode after a confirmation, a query library template, the
// history; in the light and the dark theme, passing axe. Screenshots in STEWARD_SHOTS.
import { createDatabase, createUser, streamStatement } from "@steward/agent/databases";
import { sealFor } from "@steward/server/testing/seal";
import { type PostgresServer, startPostgres } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const ADMIN = "e2e-admin-1";
const OWN = "e2e-own-1";
const SHOTS = process.env.STEWARD_SHOTS;
let postgres: PostgresServer;

describeConsole("the SQL console", { timeout: 180_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
    timeout: 120_000,
    seed: async (run) => {
      const started = await startPostgres({ passwords: true });
      if (!started) throw new Error("PostgreSQL is needed");
      postgres = started;
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      await client.query(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
      await client.end();
      const place = {
        kind: "tcp" as const,
        host: "127.0.0.1",
        port: postgres.port,
        tls: { mode: "disable" as const, ca: null },
      };
      const access = {
        engine: "postgres" as const,
        admin: place,
        credentials: { user: "admin", password: ADMIN },
        login: place,
      };
      const steps = { step: <T>(_: string, fn: () => Promise<T>) => fn(), onRollback: () => {} };
      await createDatabase(steps, access, { name: "shop" });
      await createUser(
        steps,
        access,
        { name: "shop_u", password: OWN, hosts: [], connectionLimit: null },
        [{ database: "shop", level: { kind: "all" } }],
      );
      for (const sql of [
        "CREATE TABLE items (id integer PRIMARY KEY, name varchar(40), price numeric(8,2))",
        "INSERT INTO items VALUES (1, 'pen', 1.50), (2, '<b>ink</b>', 3.25), (3, 'pad', NULL)",
      ])
        await streamStatement(
          "postgres",
          place,
          { user: "shop_u", password: OWN, database: "shop" },
          { sql, params: [], mode: "write", timeoutMs: 10_000 },
          { columns: () => {}, row: () => true },
        );
      const server = await run.panel.api("POST", "/api/v1/database-servers", {
        key: run.key,
        body: {
          placement: "external",
          name: "Shop PostgreSQL",
          engine: "postgres",
          host: "127.0.0.1",
          port: postgres.port,
          adminUser: "admin",
          adminPassword: ADMIN,
          tls: { mode: "disable" },
        },
      });
      if (server.status !== 201) throw new Error(JSON.stringify(server.body));
      const now = Date.now();
      runSql(
        run.panel,
        "insert into databases (id, server_id, account_id, name, created_at, updated_at) values (?, ?, null, 'shop', ?, ?)",
        "dbd_e2e000000000000000000000",
        server.body.id,
        now,
        now,
      );
      runSql(
        run.panel,
        "insert into database_users (id, server_id, account_id, name, password_sealed, created_at, updated_at) values (?, ?, null, 'shop_u', ?, ?, ?)",
        "dbu_e2e000000000000000000000",
        server.body.id,
        sealFor(run.panel.dataDir, OWN),
        now,
        now,
      );
      runSql(
        run.panel,
        'insert into database_grants (user_id, database_id, level) values (?, ?, \'{"kind":"all"}\')',
        "dbu_e2e000000000000000000000",
        "dbd_e2e000000000000000000000",
      );
    },
  });
  afterAll(() => postgres?.stop());
  const { table, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("runs statements, refuses a write in read mode, writes after a confirmation", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/databases/dbd_e2e000000000000000000000/sql`);
    const editor = page.getByLabel("SQL");
    await editor.fill("SELECT id, name, price FROM items ORDER BY id");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    const result = table("Result");
    await result.getByRole("columnheader", { name: "name varchar" }).waitFor();
    await result.getByRole("columnheader", { name: "price numeric" }).waitFor();
    // hostile text stays text
    await result.getByRole("cell", { name: "<b>ink</b>" }).waitFor();
    expect(await result.getByRole("row").count()).toBe(4);
    await axe();
    await shot("sql-console-light");

    await editor.fill("UPDATE items SET price = 2 WHERE id = 3");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByText("UPDATE is not a read").waitFor();

    await page.getByLabel("Write mode").click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Write mode" }).click();
    await page.getByText("write mode", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.getByText("1 row(s) changed").waitFor();
    await page.getByLabel("Write mode").uncheck();

    await page.getByLabel("Template").selectOption({ label: "PostgreSQL: Largest tables" });
    await page.getByRole("button", { name: "Run template" }).click();
    await result.getByRole("cell", { name: "items" }).waitFor();
    const history = page.getByRole("list", { name: "History" });
    await history.getByText("UPDATE items SET price = 2 WHERE id = 3").first().waitFor();

    await page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
    await page.reload();
    await editor.fill("SELECT id, name, price FROM items ORDER BY id");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await result.getByRole("cell", { name: "2.00" }).waitFor();
    await axe();
    await shot("sql-console-dark");
    await page.evaluate(() => localStorage.setItem("steward.theme", "light"));
  });
});
