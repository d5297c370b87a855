// Status pages in the console against a real panel: a page made with the monitor picker (a
// public name for the one it shows), an incident whose Markdown body holds a script and a
// javascript: link, and the public page opened without a session: only the listed monitor,
// the formatting rendered, the script and the link inert. The pages pass axe.
import { expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const HOSTILE = "<script>window.pwned=1</script> [more](javascript:window.pwned=2)";

describeConsole("status pages in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { dialog, submit, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;

  it("creates a page with a monitor, publishes an incident, shows only that publicly", async () => {
    const monitor = (name: string, url: string) =>
      api("POST", "/api/v1/monitors", { name, settings: { kind: "http", url }, paused: true });
    await monitor("shop-frontend", "https://shop.example.com/");
    await monitor("internal-db", "https://internal.example.com/");

    await ui.page.goto(`${ui.panel.url}/status-pages`);
    await ui.page.getByText("No status pages yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "New status page" }).click();
    await dialog().getByLabel("Slug").fill("Bad Slug");
    await dialog().getByLabel("Title").fill("Shop status");
    await dialog().getByRole("button", { name: "Create status page" }).click();
    await expect.poll(() => dialog().getByLabel("Slug").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByLabel("Slug").fill("shop");
    await dialog().getByLabel("Add a monitor").selectOption({ label: "shop-frontend" });
    await dialog().getByLabel("Public name of shop-frontend").fill("Web shop");
    await axe();
    await submit("Create status page");
    await ui.page.getByRole("heading", { name: "Shop status" }).waitFor();
    await ui.page.getByText("Web shop").waitFor();

    await ui.page.getByRole("button", { name: "New incident" }).click();
    await dialog().getByLabel("Title").fill("Slow checkout");
    await dialog().getByLabel("Severity").selectOption("major");
    await dialog().getByLabel("What happened (Markdown)").fill(`We are **on it**.\n\n${HOSTILE}`);
    await submit("Publish incident");
    await ui.page.getByText("Slow checkout").waitFor();
    await ui.page.getByRole("button", { name: "Resolve" }).click();
    await ui.page.getByRole("button", { name: "Reopen" }).waitFor();
    await axe();
    expect(ui.dialogs).toEqual([]);

    const preview = ui.page.getByRole("link", { name: /Preview \/status\/shop/ });
    expect(await preview.getAttribute("href")).toBe("/status/shop");
    // the public page: no session
    const visitor = await ui.browser.newContext();
    try {
      const page = await visitor.newPage();
      await page.goto(`${ui.panel.url}/status/shop`);
      await page.getByRole("heading", { name: "Shop status", level: 1 }).waitFor();
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain("Web shop");
      expect(text).not.toMatch(/shop-frontend|internal|shop\.example\.com/);
      expect(await page.locator("strong").textContent()).toBe("on it");
      expect(text).toContain("<script>window.pwned=1</script>");
      expect(await page.locator("a").count()).toBe(0);
      expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    } finally {
      await visitor.close();
    }
  });
});
