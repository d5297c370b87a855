// Changing what exists in the databases console, against a real panel and a real PostgreSQL
// reached as an external server: a server renamed and its admin password changed (a wrong one
// refused in words, then the right one, tested), a user's grants changed per database (read-only
// to custom privileges, then none: checked on the server), the engine filter of the lists, and
// removing the server (refused in words while Steward manages a database there, then done
// after typing its name). Light theme, axe. Screenshots in STEWARD_SHOTS.
import { type PostgresServer, startPostgres } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const ADMIN = "e2e-admin-3";
const SHOTS = process.env.STEWARD_SHOTS;
let postgres: PostgresServer;
const ids: Record<string, string> = {};

/** The database shop, as the superuser. */
const shopUrl = () => postgres.url.replace(/\/postgres$/, "/shop");

async function asSuperuser(sql: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Whether shop_u holds a privilege on the table shop.public.items, as PostgreSQL says. */
async function holds(privilege: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: shopUrl() });
  await client.connect();
  try {
    const rows = await client.query(
      `SELECT has_table_privilege('shop_u', 'public.items', '${privilege}') AS ok`,
    );
    return rows.rows[0].ok as boolean;
  } finally {
    await client.end();
  }
}

describeConsole("changing database servers and grants", { timeout: 240_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
    timeout: 120_000,
    seed: async (run) => {
      const started = await startPostgres({ passwords: true });
      if (!started) throw new Error("PostgreSQL is needed");
      postgres = started;
      await asSuperuser(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
      const call = async (path: string, body: unknown) => {
        const r = await run.panel.api("POST", path, { key: run.key, body });
        if (r.status !== 201) throw new Error(JSON.stringify(r.body));
        return r.body.id as string;
      };
      const account = await call("/api/v1/accounts", { slug: "shop", name: "Shop" });
      ids.server = await call("/api/v1/database-servers", {
        placement: "external",
        name: "Shop PostgreSQL",
        engine: "postgres",
        accountId: account,
        host: "127.0.0.1",
        port: postgres.port,
        adminUser: "admin",
        adminPassword: ADMIN,
        tls: { mode: "disable" },
      });
      ids.db = await call("/api/v1/databases", { serverId: ids.server, name: "shop" });
      const { default: pg } = await import("pg");
      // made by the server's admin (who may then grant on it)
      const shop = new pg.Client({
        host: "127.0.0.1",
        port: postgres.port,
        user: "admin",
        password: ADMIN,
        database: "shop",
      });
      await shop.connect();
      await shop.query("CREATE TABLE items (id int)");
      await shop.end();
      ids.user = await call("/api/v1/database-users", {
        serverId: ids.server,
        name: "shop_u",
        grants: [{ databaseId: ids.db, level: { kind: "read-only" } }],
      });
    },
  });
  afterAll(() => postgres?.stop());
  const { dialog, row, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const confirmDialog = () => ui.page.getByRole("alertdialog");

  it("renames a server, changes its password and a user's grants, filters by engine, removes it", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/database-servers/${ids.server}`);
    await page.getByRole("heading", { name: "Shop PostgreSQL" }).waitFor();

    // a new name and a wrong new password: refused at the password, nothing changed
    await page.getByRole("button", { name: "Edit" }).click();
    await dialog().getByLabel("Name").fill("Main PostgreSQL");
    await dialog().getByLabel("New admin password").fill("not-the-password");
    await dialog().getByRole("button", { name: "Test and save" }).click();
    await dialog()
      .getByText(/connection test failed.*authentication failed/i)
      .waitFor();
    await axe();
    await shot("database-server-edit-refused");
    await dialog().getByLabel("New admin password").fill(ADMIN);
    await dialog().getByRole("button", { name: "Test and save" }).click();
    await page.getByRole("heading", { name: "Main PostgreSQL" }).waitFor();
    await page.getByText(/Connected.*PostgreSQL 15/).waitFor();

    // the user's grants: read-only, then custom SELECT and INSERT, then none
    await page.goto(`${ui.panel.url}/database-users`);
    const users = "Database users";
    await row(users, "shop_u").getByText("read-only").waitFor();
    expect(await holds("SELECT")).toBe(true);
    expect(await holds("INSERT")).toBe(false);
    await row(users, "shop_u").getByRole("button", { name: "Grants" }).click();
    await dialog().getByLabel("Grant on shop").selectOption("custom");
    await dialog().getByRole("checkbox", { name: "SELECT" }).check();
    await dialog().getByRole("checkbox", { name: "INSERT" }).check();
    await axe();
    await shot("database-user-grants");
    await dialog().getByRole("button", { name: "Save grants" }).click();
    await row(users, "shop_u").getByText("SELECT, INSERT").waitFor();
    expect(await holds("INSERT")).toBe(true);
    await row(users, "shop_u").getByRole("button", { name: "Grants" }).click();
    await dialog().getByLabel("Grant on shop").selectOption("none");
    await dialog().getByRole("button", { name: "Save grants" }).click();
    await row(users, "shop_u").getByText("none").waitFor();
    expect(await holds("SELECT")).toBe(false);

    // the engine filter
    await page.goto(`${ui.panel.url}/databases?engine=mariadb`);
    await page.getByText("Nothing matches these filters.").waitFor();
    await page.getByLabel("Engine").selectOption({ label: "PostgreSQL" });
    await page.getByRole("link", { name: "shop", exact: true }).waitFor();
    expect(page.url()).toContain("engine=postgres");
    await shot("databases-engine");

    // removing the server: refused in words while Steward manages shop and shop_u there
    await page.goto(`${ui.panel.url}/database-servers/${ids.server}`);
    await page.getByRole("button", { name: "Delete" }).click();
    await confirmDialog()
      .getByLabel(/Type .* to confirm/)
      .fill("Main PostgreSQL");
    await confirmDialog().getByRole("button", { name: "Remove server" }).click();
    await page
      .getByText(/Steward still manages 1 database \(shop\) and 1 user \(shop_u\)/)
      .first()
      .waitFor();
    await axe();
    await shot("database-server-remove-refused");
    for (const path of [
      `/api/v1/database-users/${ids.user}?confirm=shop_u`,
      `/api/v1/databases/${ids.db}?confirm=shop`,
    ])
      expect((await ui.panel.api("DELETE", path, { key: ui.key })).status).toBe(200);
    await page.reload();
    await page.getByRole("heading", { name: "Main PostgreSQL" }).waitFor();
    await page.getByRole("button", { name: "Delete" }).click();
    await confirmDialog()
      .getByLabel(/Type .* to confirm/)
      .fill("Main PostgreSQL");
    await confirmDialog().getByRole("button", { name: "Remove server" }).click();
    await page.getByText("Database server Main PostgreSQL removed").waitFor();
    await page.getByText("No database servers yet.").waitFor();
    expect(ui.dialogs).toEqual([]);
  });
});
