// A site's Protection and PHP cards, against a real panel without any agent (the apply tasks
// fail: the node side is apps/agent/src/ops/sites/protect.test.ts): a path protected through
// the form, a hostile path refused at its field and nothing stored, a path opened again;
// php.ini values saved, a bad one refused at its field. Passwords never show again.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

describeConsole("site protection and PHP settings in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { axe } = onPage(ui);
  let site = "";
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("protects a path and opens it again; a hostile path is refused at its field", async () => {
    const node = await api("POST", "/api/v1/nodes", {
      name: "web-1",
      agentUrl: "https://10.0.0.5:7443",
    });
    runSql(ui.panel, "update nodes set state = 'trusted' where id = ?", node.id);
    site = (
      await api("POST", "/api/v1/sites", {
        node: node.id,
        domains: ["shop.example.com"],
        kind: "php",
      })
    ).id;
    const page = ui.page;
    await page.goto(`${ui.panel.url}/sites/${site}`);
    await page.getByText("No protected paths: the whole site is open.").waitFor();
    await page.getByLabel("Path", { exact: true }).fill("/a;deny all");
    await page.getByLabel("User", { exact: true }).fill("alice");
    await page.getByLabel("Password", { exact: true }).fill("alice-password-1");
    await page.getByRole("button", { name: "Protect path" }).click();
    await page.getByText("must be a path like /admin").waitFor();
    expect(await api("GET", `/api/v1/sites/${site}/protection`)).toEqual({ paths: [] });
    await page.getByLabel("Path", { exact: true }).fill("/admin");
    await page.getByRole("button", { name: "Protect path" }).click();
    await page.getByText("alice", { exact: true }).waitFor();
    expect(await api("GET", `/api/v1/sites/${site}/protection`)).toEqual({
      paths: [{ path: "/admin", users: ["alice"] }],
    });
    expect(await page.content()).not.toContain("alice-password-1");
    await axe();
    await page.getByRole("button", { name: "Remove /admin" }).click();
    await page.getByText("No protected paths: the whole site is open.").waitFor();
  });

  it("saves php.ini values and refuses a bad one at its field", async () => {
    const page = ui.page;
    await page.getByLabel("memory_limit").fill("1T");
    await page.getByRole("button", { name: "Save PHP settings" }).click();
    await page.getByText("must be a size like 512K, 128M or 2G").waitFor();
    expect(await api("GET", `/api/v1/sites/${site}/php`)).toEqual({ settings: {} });
    await page.getByLabel("memory_limit").fill("256M");
    await page.getByLabel("display_errors").selectOption("off");
    await page.getByRole("button", { name: "Save PHP settings" }).click();
    await expect
      .poll(async () => api("GET", `/api/v1/sites/${site}/php`))
      .toEqual({ settings: { memory_limit: "256M", display_errors: false } });
  });
});
