// Update policies and bulk updates in the console against a real panel and a real WordPress
// (testkit, the connector of this repository active, a plugin update offered by the local
// update source): the account's defaults set in their dialog (a window start that is no time
// refused at its field first); the bulk update's preview lists the site at its window's next
// opening in its own time zone, then "start now" pushes its upgrade task; the site's page
// shows its policy, the offer judged, and the update's outcome in its history. The defaults
// turn the visual check on (a threshold of 0% refused at its field first): the history shows
// the % of pixels changed and the update's three screenshots, taken by the panel's Chromium.
// The pages pass axe (the history with its screenshots light and dark).
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { helloPlugin, startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { agencyBlog } from "./cms-blog.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const connector = fileURLToPath(
  new URL("../../../connectors/wordpress/steward-connector", import.meta.url),
);
const HELLO = "hello-steward/hello-steward.php";
const wp = await startWordPress({ plugins: [{ dir: connector }] });
afterAll(() => wp?.stop());
const shots = process.env.STEWARD_SCREENSHOTS;

(wp ? describeConsole : describeConsole.skip)(
  "CMS update policies and bulk updates in the console",
  { timeout: 180_000 },
  () => {
    const site = wp as WordPressSite;
    const ui = useConsole({
      panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
      signIn: true,
    });
    const { axe, dialog } = onPage(ui);
    const api = async (method: string, path: string, body?: unknown) =>
      (await ui.panel.api(method, path, { key: ui.key, body })).body;
    const shot = async (name: string) => {
      if (!shots) return;
      mkdirSync(shots, { recursive: true });
      await ui.page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    };

    it("sets the defaults, previews and applies a bulk update, shows policy and history", async () => {
      await site.updates.offerPlugin({
        file: HELLO,
        version: "1.1.0",
        files: helloPlugin("1.1.0"),
      });
      await site.activatePlugin(HELLO);
      const { account, blog: added } = await agencyBlog(api, site, { timezone: "America/Chicago" });
      await expect
        .poll(async () => (await api("GET", `/api/v1/cms-sites/${added.id}`)).updatesAvailable, {
          timeout: 60_000,
        })
        .toBe(1);

      await ui.page.goto(`${ui.panel.url}/cms-sites`);
      await ui.page.getByLabel("Account").selectOption({ label: "Agency" });
      await ui.page.getByRole("button", { name: "Update defaults" }).click();
      await dialog().getByLabel("Updates applied on their own").selectOption("minor");
      await dialog().getByLabel("Only inside an update window").check();
      await dialog().getByLabel("From (local time)").fill("25:00");
      await dialog().getByRole("button", { name: "Save policy" }).click();
      await expect
        .poll(() => dialog().getByLabel("From (local time)").getAttribute("aria-invalid"))
        .toBe("true");
      await axe();
      await shot("cms-defaults-refused");
      await dialog().getByLabel("From (local time)").fill("05:00");
      await dialog()
        .getByLabel(/^Visual check: compare screenshots/)
        .check();
      const threshold = dialog().getByLabel("Pixels an update may change (%)");
      await threshold.fill("0");
      await dialog().getByRole("button", { name: "Save policy" }).click();
      await expect.poll(() => threshold.getAttribute("aria-invalid")).toBe("true");
      await threshold.fill("5");
      await dialog().getByRole("button", { name: "Save policy" }).click();
      await dialog().waitFor({ state: "detached" });
      const defaults = await api("GET", `/api/v1/update-policies?account=${account.id}`);
      expect(defaults.items).toEqual([
        expect.objectContaining({
          siteId: null,
          level: "minor",
          window: { start: "05:00", durationMinutes: 120, days: expect.any(Array) },
          visualCheck: "on",
          visualThreshold: 5,
        }),
      ]);

      await ui.page.getByRole("button", { name: "Bulk update" }).click();
      const plan = dialog().getByRole("table", { name: "What will run when" });
      const row = plan.getByRole("row").filter({ hasText: "Company blog" });
      await row.getByText("(America/Chicago)").waitFor();
      await expect
        .poll(() => row.textContent())
        .toMatch(/\(America\/Chicago\).*UTC.*hello-steward.* 1\.0\.0 → 1\.1\.0/);
      await axe();
      await shot("cms-bulk-preview");
      await dialog().getByLabel("Start now, not in each site's window").check();
      await dialog().getByRole("button", { name: "Update 1 site" }).click();
      await dialog().getByText("Pushed.").waitFor();
      const pushed = dialog().getByRole("table", { name: "Upgrades pushed" });
      await pushed.getByRole("link").first().waitFor();
      await shot("cms-bulk-applied");
      await dialog().getByRole("button", { name: "Done" }).click();

      await ui.page.goto(`${ui.panel.url}/cms-sites/${added.id}`);
      await ui.page.getByRole("heading", { name: "Company blog" }).waitFor();
      await ui.page.getByText(/Minor updates .* from the account's defaults/).waitFor();
      const history = ui.page.getByRole("table", { name: "Update history" });
      await expect
        .poll(() => history.getByRole("row").nth(1).textContent(), { timeout: 90_000 })
        .toMatch(/hello-steward\/hello-steward\.php 1\.0\.0 → 1\.1\.0.*succeeded.*HTTP 200/);
      expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
      await ui.page
        .getByText(/^Visual check: on — more than 5% of the home page's pixels/)
        .waitFor();
      const updated = history.getByRole("row").nth(1);
      expect(await updated.textContent()).toMatch(
        /visual check: [\d.]+% of the home page's pixels changed \(threshold 5%\).*[\d.]+% changed \(max 5%\)/,
      );
      await updated.getByRole("button", { name: "Screenshots" }).click();
      const images = history.getByRole("img");
      await expect.poll(() => images.count()).toBe(3);
      for (const name of [/^Before the update/, /^After the update/, /^Difference/]) {
        const image = history.getByRole("img", { name });
        await expect
          .poll(() => image.evaluate((i) => (i as HTMLImageElement).naturalWidth))
          .toBe(1280);
      }
      await axe();
      await shot("cms-site-policy-history");
      // the same, dark
      await ui.page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
      await ui.page.reload();
      await history.getByRole("row").nth(1).getByRole("button", { name: "Screenshots" }).click();
      await expect.poll(() => history.getByRole("img").count()).toBe(3);
      await axe();
      await shot("cms-site-policy-history-dark");
      await ui.page.evaluate(() => localStorage.setItem("steward.theme", "light"));
      expect(ui.dialogs).toEqual([]);
    });
  },
);
