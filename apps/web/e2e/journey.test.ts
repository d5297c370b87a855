// The whole path in one browser, as a newcomer walks it: first-run setup from the
// link `steward serve` prints → sign in → create a user → give a group a role on an account →
// turn on TOTP and sign in again with a code → run a task and watch its log arrive live →
// find all of it in the audit log.

import { totpOf } from "@steward/server/testing/auth";
import { dialects } from "@steward/testkit";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import { newContext, PASSWORD, seriousViolations } from "./harness.ts";
import { describeConsole, useConsole } from "./harness-console.ts";

const ADMIN = "admin@example.com";

describeConsole.each(dialects())("a newcomer's first session in the console on %s", (dialect) => {
  // no super user yet: the walk starts at setup
  const ui = useConsole({ panel: { dialect }, superUser: null });
  let page: Page;
  const dialog = () => page.getByRole("dialog");
  const nav = (name: string) =>
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();

  beforeAll(async () => {
    page = await (await newContext(ui.browser)).newPage();
    page.on("dialog", (d) => {
      throw new Error(`the page opened a browser dialog: ${d.message()}`);
    });
  });

  async function signIn(code?: () => string) {
    await page.getByLabel("Email").fill(ADMIN);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    if (code) {
      await page.getByLabel("Authentication code").fill(code());
      await page.getByRole("button", { name: "Verify" }).click();
    }
    await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  }

  // one long walk (a 12-second task included): more than the default 30 seconds on a busy machine
  it("walks from setup to the audit log", { timeout: 90_000 }, async () => {
    // 1. the console sends a fresh installation to setup; the printed link fills the token
    await page.goto(`${ui.panel.url}/`);
    await page.waitForURL(/\/sign-in/);
    await page.waitForURL(/\/setup/);
    await page.goto(`${ui.panel.url}/setup?token=${ui.panel.setupToken}`);
    await page.getByLabel("Email").fill(ADMIN);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Repeat password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create user and sign in" }).click();
    await page.waitForURL(`${ui.panel.url}/`);
    expect(await seriousViolations(page)).toEqual([]);

    // 2. sign out and in again
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn();

    // 3. create a user
    await nav("Users");
    await page.getByRole("button", { name: "New user" }).click();
    await dialog().getByLabel("Email").fill("ann@example.com");
    await dialog().getByLabel("Password").fill(PASSWORD);
    await dialog().getByRole("button", { name: "Create user" }).click();
    await dialog().waitFor({ state: "detached" });
    await page.getByRole("table", { name: "Users" }).getByText("ann@example.com").waitFor();

    // 4. a group with that user, an account, and the group's role on the account
    await nav("Groups");
    await page.getByRole("button", { name: "New group" }).click();
    await dialog().getByLabel("Name").fill("ops");
    await dialog().getByRole("button", { name: "Create group" }).click();
    await page.getByRole("heading", { name: "ops" }).waitFor();
    await page.getByRole("button", { name: "Add member" }).click();
    await dialog().getByRole("searchbox", { name: "Search users" }).fill("ann");
    await dialog()
      .getByRole("radio", { name: /ann@example\.com/ })
      .check();
    await dialog().getByRole("button", { name: "Add member" }).click();
    await dialog().waitFor({ state: "detached" });

    await nav("Accounts");
    await page.getByRole("button", { name: "New account" }).click();
    await dialog().getByLabel("Name").fill("Acme Hosting");
    await dialog().getByLabel("Slug").fill("acme");
    await dialog().getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Acme Hosting", exact: true }).waitFor();
    await page.getByRole("button", { name: "Add member" }).click();
    await dialog()
      .getByRole("radio", { name: /^A group/ })
      .check();
    await dialog().getByRole("searchbox", { name: "Search groups" }).fill("ops");
    await dialog().getByRole("radio", { name: /^ops/ }).check();
    await dialog()
      .getByRole("radio", { name: /^operate/ })
      .check();
    await dialog().getByRole("button", { name: "Add member" }).click();
    await dialog().waitFor({ state: "detached" });
    await page.getByRole("table", { name: "Members" }).getByText("ops").waitFor();

    // 5. turn on TOTP, sign out, sign in again with a code
    await page.getByRole("link", { name: ADMIN }).click();
    await page.getByRole("button", { name: "Turn on two-factor authentication" }).click();
    await dialog().getByLabel("Your password").fill(PASSWORD);
    await dialog().getByRole("button", { name: "Continue" }).click();
    const secretText = await dialog()
      .getByRole("figure", { name: "Secret key" })
      .locator("code")
      .textContent();
    const secret = (secretText ?? "").replace(/\s/g, "");
    const code = () => totpOf(`otpauth://totp/Steward:x?secret=${secret}`);
    await dialog().getByLabel("Authentication code").fill(code());
    await dialog().getByRole("button", { name: "Turn on", exact: true }).click();
    await page.getByText("Two-factor authentication is on.").waitFor();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn(code);

    // 6. a task that takes a while (made through the API, as another tool would), run from
    // its page; its log lines arrive one by one while it runs
    const created = await page.evaluate(async () => {
      const res = await fetch("/api/v1/tasks", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          kind: "noop",
          payload: { steps: 5, sleepMs: 2500, message: "tick" },
          runAt: new Date(Date.now() + 3600_000).toISOString(),
        }),
      });
      return { status: res.status, body: await res.json() };
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await nav("Tasks");
    await page
      .getByRole("table", { name: "Tasks" })
      .getByRole("link", { name: /noop/ })
      .first()
      .click();
    await page.getByRole("button", { name: "Run now" }).click();
    const log = page.getByRole("log", { name: "Task log" });
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const text = (await log.textContent()) ?? "";
          const steps = text.match(/step \d of 5/g) ?? [];
          if (steps.length && seen.at(-1) !== steps.at(-1)) seen.push(steps.at(-1) ?? "");
          return steps.length;
        },
        { timeout: 20_000, interval: 100 },
      )
      .toBe(5);
    // seen while running: the first step before the last one arrived
    expect(seen[0]).not.toBe("step 5 of 5");
    await page.getByText("succeeded").first().waitFor();

    // 7. all of it is in the audit log
    await nav("Audit log");
    const table = page.getByRole("table", { name: "Audit events" });
    await table.waitFor();
    for (const action of [
      "setup.complete",
      "user.create",
      "group.create",
      "account.create",
      "group.member_add",
      "account.member_add",
      "auth.two-factor.enable",
      "auth.sign-in.email",
      "task.create",
      "task.run",
    ]) {
      await page.getByLabel("Action").fill(action);
      await expect
        .poll(() => table.getByText(action, { exact: true }).count(), { message: action })
        .toBeGreaterThan(0);
    }
    // axe measures contrast as shown: not while the previous filter's rows are dimmed
    await expect.poll(() => table.getAttribute("aria-busy")).toBe("false");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
