// The databases console against a real panel and a real PostgreSQL reached as an external
// server: adding the server (a wrong admin password refused in words, then the right one),
// adopting a database made outside Steward, creating a database and a user whose password is
// shown once and logs in for real, rotating it (the old one refused), showing it again,
// deleting both after typing their names (gone from the server), and the account's sizes after
// the sizes task; in the light and the dark theme, passing axe. Screenshots in STEWARD_SHOTS.
import { type PostgresServer, startPostgres } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const ADMIN = "e2e-admin-2";
const SHOTS = process.env.STEWARD_SHOTS;
let postgres: PostgresServer;

/** A PostgreSQL session as `user`, or the reason it was refused. */
async function connects(user: string, password: string, database = "postgres") {
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    host: "127.0.0.1",
    port: postgres.port,
    user,
    password,
    database,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

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

describeConsole("the databases pages", { timeout: 240_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
    timeout: 120_000,
    seed: async (run) => {
      const account = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { slug: "shop", name: "Shop" },
      });
      if (account.status !== 201) throw new Error(JSON.stringify(account.body));
      const started = await startPostgres({ passwords: true });
      if (!started) throw new Error("PostgreSQL is needed");
      postgres = started;
      await asSuperuser(`CREATE ROLE admin LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN}'`);
      // made outside Steward: adopted from the server's page
      await asSuperuser("CREATE DATABASE legacy OWNER admin");
    },
  });
  afterAll(() => postgres?.stop());
  const { dialog, row, table, axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const confirmDialog = () => ui.page.getByRole("alertdialog");
  /** the password the open dialog shows once */
  const shownPassword = async () =>
    (await dialog().locator("figure code").textContent())?.trim() ?? "";

  it("adds a server after its test, adopts, creates a database and a user, rotates, deletes", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/database-servers`);
    await page.getByText("No database servers yet.").waitFor();
    await axe();

    // a wrong admin password: refused, saying why, at the host field
    await page.getByRole("button", { name: "New server" }).click();
    await dialog().getByLabel("Name").fill("Shop PostgreSQL");
    await dialog().getByLabel("Engine").selectOption({ label: "PostgreSQL" });
    await dialog().getByLabel("Account").selectOption({ label: "Shop" });
    await dialog().getByLabel("Host").fill("127.0.0.1");
    await dialog().getByLabel("Port").fill(String(postgres.port));
    await dialog().getByLabel("Admin user").fill("admin");
    await dialog().getByLabel("Admin password").fill("not-the-password");
    await dialog().getByLabel("TLS").selectOption("disable");
    await dialog().getByRole("button", { name: "Test and save" }).click();
    await dialog()
      .getByText(/connection test failed.*authentication failed/i)
      .waitFor();
    await axe();
    await shot("database-server-refused");
    await dialog().getByLabel("Admin password").fill(ADMIN);
    await dialog().getByRole("button", { name: "Test and save" }).click();
    await page.getByRole("heading", { name: "Shop PostgreSQL" }).waitFor();
    await page.getByText(/Connected.*PostgreSQL 15/).waitFor();

    // adopt the database made outside Steward
    await page.getByRole("button", { name: "Find existing" }).click();
    await page.getByRole("checkbox", { name: /legacy/ }).check();
    await page.getByRole("button", { name: "Adopt 1 checked" }).click();
    await page.getByText("Adopted 1 database(s) and 0 user(s)").waitFor();
    await table("Databases on Shop PostgreSQL").getByRole("link", { name: "legacy" }).waitFor();
    await axe();
    await shot("database-server");
    // the list names the account and says where the server runs and how its test went
    await page.goto(`${ui.panel.url}/database-servers`);
    const servers = row("Database servers", "Shop PostgreSQL");
    await servers.getByText(/^external at 127\.0\.0\.1:\d+$/).waitFor();
    await servers.getByText("connected").waitFor();
    await servers.getByText(/^PostgreSQL 15/).waitFor();
    await shot("database-servers");

    // a database, named with a quote first: refused at the field, nothing made
    await page.goto(`${ui.panel.url}/databases`);
    await page.getByRole("button", { name: "New database" }).click();
    await dialog().getByLabel("Server").selectOption({ label: "Shop PostgreSQL (PostgreSQL)" });
    await dialog().getByLabel("Name").fill("shop'; drop");
    await dialog().getByRole("button", { name: "Create database" }).click();
    await dialog()
      .getByText(/must|may only|letters/i)
      .first()
      .waitFor();
    await dialog().getByLabel("Name").fill("shop");
    await dialog().getByLabel("Encoding (optional)").fill("UTF8");
    await dialog().getByRole("button", { name: "Create database" }).click();
    await page.getByRole("heading", { name: "shop", exact: true }).waitFor();
    expect(await asSuperuser("SELECT 1 FROM pg_database WHERE datname = 'shop'")).toHaveLength(1);
    await page.getByRole("link", { name: "SQL console" }).waitFor();

    // a user with all privileges on shop: its password shown once, and it logs in
    await page.goto(`${ui.panel.url}/database-users`);
    await page.getByText("No database users yet.").waitFor();
    await page.getByRole("button", { name: "New user" }).click();
    await dialog().getByLabel("Server").selectOption({ label: "Shop PostgreSQL (PostgreSQL)" });
    await dialog().getByLabel("Name").fill("shop_u");
    await dialog().getByLabel("Grant on shop").selectOption("all");
    await dialog().getByRole("button", { name: "Create user" }).click();
    await dialog().getByText("Password of shop_u").waitFor();
    const first = await shownPassword();
    expect(first).toMatch(/^[\w-]{32}$/);
    expect(await connects("shop_u", first, "shop")).toBe("ok");
    await axe();
    await shot("database-user-created");
    await dialog().getByRole("button", { name: "Done" }).click();
    const users = "Database users";
    await row(users, "shop_u").getByText("all privileges").waitFor();

    // rotate after a confirmation: a new password; the old one is refused
    await row(users, "shop_u").getByRole("button", { name: "Rotate" }).click();
    await confirmDialog().getByRole("button", { name: "Rotate password" }).click();
    await dialog().getByText("Password of shop_u").first().waitFor();
    const second = await shownPassword();
    expect(second).not.toBe(first);
    expect(await connects("shop_u", second, "shop")).toBe("ok");
    expect(await connects("shop_u", first, "shop")).toMatch(/password authentication failed/);
    await dialog().getByRole("button", { name: "Done" }).click();

    // shown again to the server's admin (audited)
    await row(users, "shop_u").getByRole("button", { name: "Show password" }).click();
    await confirmDialog().getByRole("button", { name: "Show password" }).click();
    expect(await shownPassword()).toBe(second);
    await dialog().getByRole("button", { name: "Done" }).click();
    const audit = await ui.panel.api(
      "GET",
      "/api/v1/audit-events?action=database-user.password.read",
      {
        key: ui.key,
      },
    );
    expect(audit.body.items.length).toBe(1);

    // the account's sizes, after the hourly task runs now
    const tasks = await ui.panel.api("GET", "/api/v1/tasks?kind=database.sizes", { key: ui.key });
    const sizes = tasks.body.items[0].id as string;
    await ui.panel.api("POST", `/api/v1/tasks/${sizes}/run`, { key: ui.key });
    await expect
      .poll(
        async () => {
          const list = await ui.panel.api("GET", "/api/v1/databases", { key: ui.key });
          return list.body.items.every((d: { sizeBytes: number | null }) => d.sizeBytes !== null);
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    const account = (await ui.panel.api("GET", "/api/v1/accounts/shop", { key: ui.key })).body;
    await page.goto(`${ui.panel.url}/accounts/${account.id}`);
    await page.getByRole("heading", { name: /^Databases of Shop: [\d.]+ (KB|MB) in 2$/ }).waitFor();
    await page.getByRole("img", { name: /^Databases of Shop per day/ }).waitFor();
    await axe();
    await shot("account-database-sizes");
    await page.goto(`${ui.panel.url}/databases?account=${account.id}`);
    const shopRow = table("Databases")
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: "shop", exact: true }) });
    await shopRow.getByText(/^\d+(\.\d)? (KB|MB)/).waitFor();
    await shot("databases-list");

    // delete the user, then the database, each after typing its name
    await page.goto(`${ui.panel.url}/database-users`);
    await row(users, "shop_u").getByRole("button", { name: "Delete" }).click();
    const deleteUser = confirmDialog().getByRole("button", { name: "Delete user" });
    expect(await deleteUser.isDisabled()).toBe(true);
    await confirmDialog()
      .getByLabel(/Type .* to confirm/)
      .fill("shop_u");
    await deleteUser.click();
    await page.getByText("No database users yet.").waitFor();
    expect(await asSuperuser("SELECT 1 FROM pg_roles WHERE rolname = 'shop_u'")).toHaveLength(0);

    await page.goto(`${ui.panel.url}/databases`);
    await page.getByRole("link", { name: "shop", exact: true }).click();
    await page.getByRole("img", { name: /^Size of shop/ }).waitFor();
    await page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
    await page.reload();
    await page.getByRole("img", { name: /^Size of shop/ }).waitFor();
    await axe();
    await shot("database-detail-dark");
    await page.evaluate(() => localStorage.setItem("steward.theme", "light"));
    await page.getByRole("button", { name: "Delete" }).click();
    await confirmDialog()
      .getByLabel(/Type .* to confirm/)
      .fill("shop");
    await confirmDialog().getByRole("button", { name: "Delete database" }).click();
    await page.getByText("Database shop deleted").waitFor();
    expect(await asSuperuser("SELECT 1 FROM pg_database WHERE datname = 'shop'")).toHaveLength(0);
    expect(ui.dialogs).toEqual([]);
  });
});
