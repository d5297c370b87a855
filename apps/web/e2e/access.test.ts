// Access control through the console: a user, a group with that user in it, an account, the
// group given `operate` on the account (seen on the grants page and among the account's
// members), an explicit none shown as such, deletions through the confirmation dialog, the
// API's field error at its field, hostile names shown as text, and axe on every page.
import { expect, it } from "vitest";
import { PASSWORD, seriousViolations, signedInPage } from "./harness.ts";
import { describeConsole, onPage, useConsole, withDatabase } from "./harness-console.ts";

const USER = "ann@example.com";
const HOSTILE = "<img src=x onerror=alert(1)>";
const GROUP = "ops-team";
const ACCOUNT = `Acme ${HOSTILE}`;

// each test walks several pages and runs axe on most of them
describeConsole("access control in the console", { timeout: 120_000 }, () => {
  // ui.dialogs: hostile text must never run, confirm() is never used
  const ui = useConsole({ signIn: true });
  const { dialog, table, row, choose, submit, axe } = onPage(ui);
  let userId = "";
  let accountId = "";

  /**
   * Once the row of `tableName` showing `rowText` is there: how many times it shows each of
   * `texts` (tables repeat some cells for narrow screens, hidden).
   */
  async function shownIn(tableName: string, rowText: string, ...texts: string[]) {
    const shownRow = row(tableName, rowText);
    await shownRow.waitFor();
    return Promise.all(
      texts.map((text) =>
        shownRow.getByText(text, { exact: true }).filter({ visible: true }).count(),
      ),
    );
  }

  it("creates a user whose hostile name stays text", async () => {
    await ui.page.goto(`${ui.panel.url}/users`);
    await ui.page.getByRole("button", { name: "New user" }).click();
    await dialog().getByLabel("Email").fill(USER);
    await dialog().getByLabel("Name").fill(HOSTILE);
    await dialog().getByLabel("Password").fill(PASSWORD);
    await submit("Create user");
    await row("Users", USER).waitFor();
    await row("Users", USER).getByRole("link").click();
    await ui.page.waitForURL(/\/users\/[^/]+$/);
    userId = ui.page.url().split("/").pop() ?? "";
    await ui.page.getByRole("heading", { name: USER }).waitFor();
    expect(await ui.page.getByText(HOSTILE).count()).toBeGreaterThan(0);
    expect(await ui.page.locator('img[src="x"]').count()).toBe(0);
    await ui.page.getByText("Not in any group.").waitFor();
    await ui.page.getByText("No grant gives this user a role.").waitFor();
    await axe();
  });

  it("sets the user's password after a confirmation", async () => {
    await ui.page.getByRole("button", { name: "Set password" }).click();
    await dialog().getByLabel("New password", { exact: true }).fill("short");
    await dialog().getByLabel("Repeat the new password").fill("short");
    await dialog().getByRole("button", { name: "Set password" }).click();
    await ui.page.getByRole("alertdialog").waitFor();
    await axe();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Set password" }).click();
    // refused by the API: the message is at the field
    const field = dialog().getByLabel("New password", { exact: true });
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("must be at least 10 characters", { exact: true }).waitFor();
    await field.fill("another long password");
    await dialog().getByLabel("Repeat the new password").fill("another long password");
    await dialog().getByRole("button", { name: "Set password" }).click();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Set password" }).click();
    await dialog().getByText("The password is set").waitFor();
    await dialog().getByRole("button", { name: "Close", exact: true }).last().click();
    const signIn = await ui.panel.api("POST", "/api/auth/sign-in/email", {
      body: { email: USER, password: "another long password" },
    });
    expect(signIn.status).toBe(200);
  });

  it("creates a group and adds the user from a search", async () => {
    await ui.page.goto(`${ui.panel.url}/groups`);
    await row("Groups", "super").waitFor();
    expect(await row("Groups", "super").getByText("built in, cannot be changed").count()).toBe(1);
    expect(await row("Groups", "super").getByRole("button").count()).toBe(0);
    await axe();
    await ui.page.getByRole("button", { name: "New group" }).click();
    await dialog().getByLabel("Name").fill("Not A Slug");
    await dialog().getByRole("button", { name: "Create group" }).click();
    await dialog()
      .getByText("must be lowercase letters, digits and dashes, starting with a letter", {
        exact: true,
      })
      .waitFor();
    await axe();
    await dialog().getByLabel("Name").fill(GROUP);
    await dialog().getByLabel("Description").fill(`Operators ${HOSTILE}`);
    await dialog().getByRole("button", { name: "Create group" }).click();
    await ui.page.waitForURL(/\/groups\/grp/);
    await ui.page.getByRole("heading", { name: GROUP }).waitFor();
    await ui.page.getByText("No members yet.").waitFor();

    await ui.page.getByRole("button", { name: "Add member" }).click();
    await dialog().getByRole("searchbox", { name: "Search users" }).fill("ann");
    await choose(new RegExp(USER));
    await axe();
    await submit("Add member");
    await row("Members", USER).waitFor();
    await axe();
  });

  it("creates an account, showing the API's refusal at the field", async () => {
    await ui.page.goto(`${ui.panel.url}/accounts`);
    await ui.page.getByText("No accounts yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "New account" }).click();
    await dialog().getByLabel("Name").fill("x".repeat(101));
    await dialog().getByLabel("Slug").fill("acme");
    await dialog().getByRole("button", { name: "Create account" }).click();
    const name = dialog().getByLabel("Name");
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await name.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(" ").find((id) => id.endsWith("-error")) ?? "none";
    expect(await ui.page.locator(`[id="${errorId}"]`).textContent()).toBe(
      "must be at most 100 characters",
    );
    await axe();
    await name.fill(ACCOUNT);
    await dialog().getByRole("button", { name: "Create account" }).click();
    await ui.page.waitForURL(/\/accounts\/acc/);
    accountId = ui.page.url().split("/").pop() ?? "";
    await ui.page.getByRole("heading", { name: ACCOUNT, exact: true }).waitFor();
    expect(await ui.page.locator('img[src="x"]').count()).toBe(0);
    await ui.page.getByText("No members yet.").waitFor();
    await axe();
  });

  it("gives the group operate on the account, seen among members and grants", async () => {
    await ui.page.getByRole("button", { name: "Add member" }).click();
    await choose(/^A group/);
    await dialog().getByRole("searchbox", { name: "Search groups" }).fill("ops");
    await choose(new RegExp(`^${GROUP}`));
    await choose(/^operate/);
    await axe();
    await submit("Add member");
    expect(await shownIn("Members", GROUP, "operate")).toEqual([1]);

    await ui.page.goto(`${ui.panel.url}/accounts`);
    await row("Accounts", ACCOUNT).waitFor();
    await axe();

    await ui.page.goto(`${ui.panel.url}/grants`);
    expect(await shownIn("Grants", GROUP, ACCOUNT, "operate")).toEqual([1, 1]);
    await ui.page.getByRole("heading", { name: "How roles combine" }).waitFor();
    await axe();

    // the user's page says where their role comes from
    await ui.page.goto(`${ui.panel.url}/users/${userId}`);
    const through = await shownIn(
      "Grants that apply to this user",
      GROUP,
      "through the group",
      ACCOUNT,
    );
    expect(through).toEqual([1, 1]);
    await row("Groups of this user", GROUP).waitFor();
  });

  it("shows an explicit none plainly, and filters by role", async () => {
    await ui.page.goto(`${ui.panel.url}/grants`);
    await row("Grants", GROUP).waitFor();
    await ui.page.getByRole("button", { name: "New grant" }).click();
    await dialog().getByRole("searchbox", { name: "Search users" }).fill("ann");
    await choose(new RegExp(USER));
    await choose(/^One account/);
    await dialog().getByRole("searchbox", { name: "Search accounts" }).fill("acme");
    await choose(/^Acme/);
    await choose(/^none/);
    await axe();
    await submit("Save grant");
    const none = "explicitly none — blocks inherited roles";
    expect(await shownIn("Grants", USER, none)).toEqual([1]);

    // the danger tone stays readable in the dark theme too
    await ui.page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
    await ui.page.reload();
    await row("Grants", USER).waitFor();
    expect(await ui.page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
      true,
    );
    await axe();
    await ui.page.evaluate(() => localStorage.setItem("steward.theme", "light"));
    await ui.page.reload();
    await row("Grants", USER).waitFor();

    await ui.page.getByRole("combobox", { name: "Role" }).selectOption("none");
    await expect.poll(() => table("Grants").getByRole("row").count()).toBe(2); // header + 1
    await ui.page.getByRole("combobox", { name: "Role" }).selectOption("");
    await row("Grants", GROUP).waitFor();

    // and among the account's members
    await ui.page.goto(`${ui.panel.url}/accounts/${accountId}`);
    await row("Members", USER)
      .getByText("explicitly none — blocks inherited roles")
      .filter({ visible: true })
      .waitFor();
  });

  it("refuses a grant without a principal at the picker", async () => {
    await ui.page.goto(`${ui.panel.url}/grants`);
    await ui.page.getByRole("button", { name: "New grant" }).click();
    await dialog().getByRole("button", { name: "Save grant" }).click();
    await dialog().getByText("must not be empty", { exact: true }).waitFor();
    await axe();
    await dialog().getByRole("button", { name: "Cancel" }).click();
  });

  it("offers an operator only what they may do", async () => {
    // ann operates the account through her group: no "New …" buttons, no admin pages
    const signedIn = await signedInPage(
      ui.browser,
      ui.panel,
      USER,
      ui.dialogs,
      "another long password",
    );
    const { context: operator, page: op } = signedIn;
    const nav = op.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Sites", exact: true }).waitFor();
    for (const hidden of ["Nodes", "Users", "Groups", "Grants", "Templates", "Tunnels"])
      expect([hidden, await nav.getByRole("link", { name: hidden, exact: true }).count()]).toEqual([
        hidden,
        0,
      ]);
    await op.goto(`${ui.panel.url}/sites`);
    await op.getByText("No sites yet.").waitFor();
    expect(await op.getByRole("button", { name: "New site" }).count()).toBe(0);
    await op.goto(`${ui.panel.url}/accounts`);
    await op.getByRole("table", { name: "Accounts" }).waitFor();
    expect(await op.getByRole("button", { name: "New account" }).count()).toBe(0);
    expect(await op.getByRole("button", { name: "Delete" }).count()).toBe(0);
    await op.goto(`${ui.panel.url}/profile`);
    await op.getByRole("button", { name: "New API key" }).waitFor();
    expect(await seriousViolations(op)).toEqual([]);
    await operator.close();
  });

  it("removes things only through the confirmation dialog", async () => {
    // a grant
    await ui.page.goto(`${ui.panel.url}/grants`);
    await row("Grants", USER)
      .getByRole("button", { name: /Remove the grant/ })
      .click();
    const confirm = ui.page.getByRole("alertdialog");
    await confirm.waitFor();
    await axe();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect(await row("Grants", USER).count()).toBe(1);
    await row("Grants", USER)
      .getByRole("button", { name: /Remove the grant/ })
      .click();
    await confirm.getByRole("button", { name: "Remove grant" }).click();
    await expect.poll(() => row("Grants", USER).count()).toBe(0);

    // a member of the group
    await ui.page.goto(`${ui.panel.url}/users/${userId}`);
    await row("Groups of this user", GROUP).getByRole("button", { name: "Remove" }).click();
    await confirm.getByRole("button", { name: "Remove from group" }).click();
    await ui.page.getByText("Not in any group.").waitFor();

    // an account that owns a site is not deleted: the dialog's answer counts what it owns
    const now = Date.now();
    withDatabase(ui.panel, (d) =>
      d
        .prepare(
          "insert into nodes (id, name, agent_url, state, created_at, updated_at) values ('node_acc', 'acc-node', 'https://127.0.0.1:1', 'trusted', ?, ?)",
        )
        .run(now, now),
    );
    const site = await ui.panel.api("POST", "/api/v1/sites", {
      key: ui.key,
      body: { node: "node_acc", account: accountId, kind: "static", domains: ["owned.example"] },
    });
    expect(site.status).toBe(201);
    await ui.page.goto(`${ui.panel.url}/accounts/${accountId}`);
    await ui.page.getByRole("button", { name: "Delete", exact: true }).click();
    await confirm.getByLabel(/to confirm/).fill(ACCOUNT);
    await confirm.getByRole("button", { name: "Delete account" }).click();
    // its apply task may have failed already (this node has no certificate): then no task
    await ui.page
      .getByText(/account acme still owns resources \(sites: 1(, tasks: 1)?\)/)
      .waitFor();
    await axe();
    // as its task would once the site is gone from its node
    withDatabase(ui.panel, (d) => {
      d.prepare("delete from tasks where target_id = ?").run(site.body.id);
      d.prepare("delete from sites where id = ?").run(site.body.id);
    });

    // an account: its name must be typed first
    await ui.page.goto(`${ui.panel.url}/accounts/${accountId}`);
    await ui.page.getByRole("button", { name: "Delete", exact: true }).click();
    const remove = confirm.getByRole("button", { name: "Delete account" });
    expect(await remove.isDisabled()).toBe(true);
    await confirm.getByLabel(/to confirm/).fill("Acme");
    expect(await remove.isDisabled()).toBe(true);
    await axe();
    await confirm.getByLabel(/to confirm/).fill(ACCOUNT);
    await remove.click();
    await ui.page.waitForURL(`${ui.panel.url}/accounts`);
    await ui.page.getByRole("status").getByText(`Account ${ACCOUNT} deleted.`).waitFor();
    await ui.page.getByText("No accounts yet.").waitFor();

    expect(ui.dialogs).toEqual([]);
  });
});
