// The console loads, sends an anonymous visitor to sign-in, signs in and shows the users page.
import { expect, it } from "vitest";
import { newContext, seriousViolations, signInUi } from "./harness.ts";
import { describeConsole, useConsole } from "./harness-console.ts";

describeConsole("console smoke", () => {
  const ui = useConsole();

  it("signs in and lists users", async () => {
    const context = await newContext(ui.browser);
    const page = await context.newPage();
    await page.goto(`${ui.panel.url}/users`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill("root@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${ui.panel.url}/users`);
    await expect.poll(() => page.getByRole("table", { name: "Users" }).isVisible()).toBe(true);
    expect(await page.getByText("root@example.com").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("gives every page a title, one not-found for a missing item, and a drawer Escape closes", {
    timeout: 120_000,
  }, async () => {
    const context = await newContext(ui.browser);
    const page = await context.newPage();
    await signInUi(page, ui.panel, "root@example.com");
    await expect.poll(() => page.title()).toBe("Dashboard · Steward");
    const pages: [string, string][] = [
      ["/users", "Users"],
      ["/groups", "Groups"],
      ["/accounts", "Accounts"],
      ["/grants", "Grants"],
      ["/sites", "Sites"],
      ["/certificates", "Certificates"],
      ["/dns", "DNS zones"],
      ["/status-pages", "Status pages"],
      ["/tasks", "Tasks"],
      ["/audit", "Audit log"],
      ["/profile", "My profile"],
      ["/no-such-page", "Page not found"],
    ];
    for (const [path, title] of pages) {
      await page.goto(`${ui.panel.url}${path}`);
      await expect.poll(() => page.title()).toBe(`${title} · Steward`);
    }
    for (const path of [
      "/users/usr_missing",
      "/groups/missing",
      "/tasks/task_missing",
      "/dns/dnz_missing",
      "/status-pages/stp_missing",
    ]) {
      await page.goto(`${ui.panel.url}${path}`);
      await page.getByText("This does not exist, or you may not see it.").waitFor();
      await expect.poll(() => page.title()).toBe("Not found · Steward");
    }
    expect(await seriousViolations(page)).toEqual([]);
    // narrow screens: the menu is a drawer; Escape closes it and focus returns to its button
    await page.setViewportSize({ width: 480, height: 800 });
    const opener = page.getByRole("button", { name: "Open menu" });
    await opener.click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByRole("button", { name: "Close menu" }).count()).toBe(0);
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });

  it("a session that ends sends the person to sign-in and back to the page they were on", async () => {
    const context = await newContext(ui.browser);
    const page = await context.newPage();
    await signInUi(page, ui.panel, "root@example.com");
    await page.goto(`${ui.panel.url}/users?from=bookmark`);
    await page.getByRole("table", { name: "Users" }).waitFor();
    // the session ends elsewhere (signed out from another tab, expired, revoked)
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const out = await fetch(`${ui.panel.url.replace("localhost", "127.0.0.1")}/api/auth/sign-out`, {
      method: "POST",
      headers: { cookie, origin: ui.panel.url, "content-type": "application/json" },
      body: "{}",
    });
    expect(out.status).toBe(200);
    // the next request of the page (a search, kept in the URL) meets a 401
    await page.getByLabel("Search users").fill("root");
    await page.waitForURL((u) => u.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("redirect")).toBe("/users?from=bookmark&q=root");
    await page.getByLabel("Email").fill("root@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${ui.panel.url}/users?from=bookmark&q=root`);
    await page.getByRole("table", { name: "Users" }).waitFor();
    await context.close();
  });

  it("does not follow a redirect to another site after sign-in", async () => {
    const context = await newContext(ui.browser);
    const page = await context.newPage();
    await page.goto(`${ui.panel.url}/sign-in?redirect=${encodeURIComponent("//evil.example/x")}`);
    await page.getByLabel("Email").fill("root@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${ui.panel.url}/`);
    await context.close();
  });
});
