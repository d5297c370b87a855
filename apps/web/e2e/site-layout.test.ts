// A site's "Files and PHP" card against a real panel without any agent (the node side is
// apps/agent/src/ops/sites/migrate.test.ts, the whole path layout-api.test.ts): the card says
// whose files and which PHP user; moving asks for a confirmation, is refused in words while
// the account has no main system user on the node; once it has one, the System users page
// offers the site, and the move is under way. Its writable directories are edited there: a
// hostile one is refused at the field, changing nothing.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

/** where to save a screenshot for a person to look at (unset: none) */
const SHOTS = process.env.STEWARD_SHOTS;

describeConsole("a site's layout in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("shows the PHP user and version, and moves the site after a confirmation", async () => {
    const node = await api("POST", "/api/v1/nodes", {
      name: "web-1",
      agentUrl: "https://10.0.0.5:7443",
    });
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node.id);
    const site = await api("POST", "/api/v1/sites", {
      node: node.id,
      domains: ["shop.example.com"],
      kind: "php",
    });
    const page = ui.page;
    await page.goto(`${ui.panel.url}/sites/${site.id}`);
    const card = page.locator("section", { hasText: "Files and PHP" });
    await card.getByText("its own system user's").waitFor();
    await card.getByText("the node's default").waitFor();
    expect(await card.textContent()).toContain(site.systemUser);
    await axe();
    const move = () => page.getByRole("button", { name: "Move into the account's layout" });
    await move().click();
    await page.getByRole("button", { name: "Move site" }).click();
    await page.getByText("has no main system user on the site's node yet").waitFor();
    expect((await api("GET", `/api/v1/sites/${site.id}`)).layout).toBe("site");

    // the account's main user, as sysusers.apply leaves it once applied
    const now = Date.now();
    runSql(
      ui.panel,
      "insert into system_users (id, account_id, node_id, kind, name, home, shell, ftp, ssh_keys, status, created_at, updated_at) values ('sysu_e2e', ?, ?, 'main', 'shop', '', 'none', 0, '[]', 'applied', ?, ?)",
      site.accountId,
      node.id,
      now,
      now,
    );
    // the System users page offers the account's sites to move, linking to each
    await page.goto(`${ui.panel.url}/system-users`);
    const offer = page.locator("section", { hasText: "Sites to move into the account's layout" });
    await offer.getByRole("link", { name: "shop.example.com" }).waitFor();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/sites-to-move.png`, fullPage: true });
    await offer.getByRole("link", { name: "shop.example.com" }).click();
    await move().click();
    await page.getByRole("button", { name: "Move site" }).click();
    await card.getByText("moving to the account's").waitFor();
    expect(await api("GET", `/api/v1/sites/${site.id}`)).toMatchObject({
      layout: "account",
      moving: true,
    });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/site-layout.png`, fullPage: true });
  });

  it("edits the writable directories, refusing a hostile one at the field", async () => {
    const [node] = (await api("GET", "/api/v1/nodes")).items;
    const site = await api("POST", "/api/v1/sites", {
      node: node.id,
      domains: ["blog.example.com"],
      kind: "php",
    });
    const page = ui.page;
    await page.goto(`${ui.panel.url}/sites/${site.id}`);
    const card = page.locator("section", { hasText: "Files and PHP" });
    const field = card.getByLabel("Writable directories");
    expect(await field.inputValue()).toBe("uploads");
    const save = card.getByRole("button", { name: "Save writable directories" });
    await field.fill("uploads\n../../etc");
    await save.click();
    await card.getByText("“../../etc” must stay inside the document root").waitFor();
    expect((await api("GET", `/api/v1/sites/${site.id}`)).writableDirs).toEqual(["uploads"]);
    await axe();
    await field.fill("uploads\nwp-content/uploads");
    await save.click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("button")].some(
        (b) => b.textContent?.includes("Save writable") && b.disabled,
      ),
    );
    expect((await api("GET", `/api/v1/sites/${site.id}`)).writableDirs).toEqual([
      "uploads",
      "wp-content/uploads",
    ]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/site-writable.png`, fullPage: true });
  });
});
