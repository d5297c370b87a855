// The system users page against a real panel: an account's main user and a secondary one
// listed with their access, keys and state; "New system user" choosing the shell access and
// refusing a reserved name by its field; each home's disk usage (a measurement seeded in the
// database) against its quota, "not enforced" where the node answered that its filesystem has
// no user quotas (seeded), and the account's total; setting a quota; a password reset; delete
// asking for the name typed;
// passing axe. The node is trusted but no agent answers it, so the users stay "pending" (the
// node end to end is apps/server/src/modules/system-users/system-users-api.test.ts).
// Screenshots in STEWARD_SHOTS.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcRYjtClzJydhE7JQz/owOfFD5O0JVQvLEDGb7pbsk3 alice@laptop";

describeConsole("the system users page", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    timeout: 90_000,
    seed: async (run) => {
      const node = await run.panel.api("POST", "/api/v1/nodes", {
        key: run.key,
        body: { name: "web-1", agentUrl: "https://127.0.0.1:1" },
      });
      runSql(run.panel, "update nodes set state = 'trusted' where id = ?", node.body.id);
      const account = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { name: "Shop", slug: "shop" },
      });
      const base = { account: account.body.id, node: node.body.id };
      for (const body of [
        { ...base, kind: "main", name: "shop", shell: "sftp", quotaMb: 100 },
        {
          ...base,
          kind: "secondary",
          name: "alice",
          home: "team/alice",
          ftp: true,
          password: "alice-password-1",
          keys: [KEY],
        },
      ]) {
        const made = await run.panel.api("POST", "/api/v1/system-users", { key: run.key, body });
        if (made.status !== 201) throw new Error(JSON.stringify(made.body));
        // the main user's home as the hourly sysusers.usage measured it (alice: not yet), and
        // the node's answer to its quota: its filesystem has no user quotas
        if (body.kind === "main") {
          runSql(
            run.panel,
            "update system_users set quota_enforced = 0 where id = ?",
            made.body.id,
          );
          runSql(
            run.panel,
            "insert into system_user_usage values (?, ?, ?, ?, 0, ?)",
            made.body.id,
            base.account,
            5 * 1024 * 1024,
            1234,
            Date.now() - 5 * 60_000,
          );
        }
      }
    },
  });
  const { axe, dialog } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("lists the account's users; creating one refuses a reserved name by its field", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/system-users`);
    await page.getByText("main user · CGI user shop-cgi").waitFor();
    await page.getByText("home /home/team/alice").waitFor();
    await page.getByText("SFTP · FTP").waitFor();
    await page.getByText("ssh-ed25519 alice@laptop").waitFor();
    // disk usage: the main user's home measured, alice's not yet, the account's total
    const main = page.getByRole("row").filter({ hasText: "shop-cgi" });
    await main.getByText("5.0 MB / 100 MB").waitFor();
    await main.getByText(/1,234 files/).waitFor();
    await main
      .getByText(
        "quota not enforced (the filesystem of this home has no user quotas: usage is measured only)",
      )
      .waitFor();
    await page
      .getByRole("row")
      .filter({ hasText: "alice" })
      .getByText("not measured yet")
      .waitFor();
    await page.getByText(/The account's homes hold 5\.0 MB in 1,234 files/).waitFor();
    await page.getByText(/quota is enforced where the node's filesystem has user quotas/).waitFor();
    await axe();
    await shot("system-users-list");
    await page.getByRole("button", { name: "New system user" }).click();
    await dialog()
      .getByText(/this one is a secondary user/)
      .waitFor();
    await dialog().getByLabel("Login").fill("www-data");
    await dialog().getByLabel("Home").fill("web");
    await dialog().getByLabel("Shell access").selectOption("none");
    await dialog().getByRole("button", { name: "Create" }).click();
    await dialog().getByRole("alert").waitFor();
    expect(await dialog().getByRole("alert").textContent()).toMatch(/name.*reserved/);
    await shot("system-users-new-refused");
  });

  it("sets a quota, resets a password and asks for the name before deleting", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/system-users`);
    await page.getByText("home /home/team/alice").waitFor();
    const alice = page.getByRole("row").filter({ hasText: "alice" });
    await alice.getByText("no quota").waitFor();
    await alice.getByRole("button", { name: "Quota" }).click();
    await dialog().getByLabel("Disk quota (MiB)").fill("50");
    await shot("system-users-quota");
    await dialog().getByRole("button", { name: "Set quota" }).click();
    await dialog().waitFor({ state: "detached" });
    await alice.getByText("not measured yet / 50 MB").waitFor();
    await alice.getByText("quota being applied on the node").waitFor();
    await alice.getByRole("button", { name: "Reset password" }).click();
    await dialog().getByLabel("New password").fill("a-brand-new-password");
    await dialog().getByRole("button", { name: "Set password" }).click();
    await dialog().waitFor({ state: "detached" });
    await alice.getByRole("button", { name: "Delete" }).click();
    await page
      .getByText("It can no longer log in; its home and files go to the account's main user.")
      .waitFor();
    await shot("system-users-delete-confirm");
  });
});
