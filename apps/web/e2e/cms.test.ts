// The CMS fleet in the console against a real panel and a real WordPress (testkit, the
// connector of this repository active, a plugin update offered by the local update source):
// the fleet shows the site with its core version, one update waiting and its connection; the
// site's page shows its versions, extensions and diagnosis; a site added with the form (a
// hostile address refused at its field first) lands on its page with its diagnosis; "Update to 1.1.0" runs the update
// task and the page follows it until the plugin is up to date. The pages pass axe.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { helloPlugin, startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const connector = fileURLToPath(
  new URL("../../../connectors/wordpress/steward-connector", import.meta.url),
);
const HELLO = "hello-steward/hello-steward.php";
const wp = await startWordPress({ plugins: [{ dir: connector }] });
afterAll(() => wp?.stop());
const shots = process.env.STEWARD_SCREENSHOTS;

(wp ? describeConsole : describeConsole.skip)(
  "CMS sites in the console",
  { timeout: 180_000 },
  () => {
    const site = wp as WordPressSite;
    const ui = useConsole({
      panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
      signIn: true,
    });
    const { axe, dialog, submit } = onPage(ui);
    const api = async (method: string, path: string, body?: unknown) =>
      (await ui.panel.api(method, path, { key: ui.key, body })).body;
    const shot = async (name: string) => {
      if (!shots) return;
      mkdirSync(shots, { recursive: true });
      await ui.page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    };

    it("shows the fleet and a site, and applies an offered plugin update", async () => {
      await site.updates.offerPlugin({
        file: HELLO,
        version: "1.1.0",
        files: helloPlugin("1.1.0"),
      });
      const account = await api("POST", "/api/v1/accounts", { slug: "agency", name: "Agency" });
      const added = await api("POST", "/api/v1/cms-sites", {
        account: account.id,
        name: "Company blog",
        url: site.url,
        username: site.admin.user,
        applicationPassword: site.admin.applicationPassword,
        timezone: "America/Chicago",
      });
      expect(added.diagnosis, JSON.stringify(added)).toMatchObject({ ok: true });
      await expect
        .poll(async () => (await api("GET", `/api/v1/cms-sites/${added.id}`)).updatesAvailable, {
          timeout: 60_000,
        })
        .toBe(1);

      // a site added in the console: a hostile address refused at its field, then one that is
      // not WordPress, saved with its diagnosis
      await ui.page.goto(`${ui.panel.url}/cms-sites`);
      await ui.page.getByLabel("Account").selectOption({ label: "Agency" });
      await ui.page.getByRole("button", { name: "Add site" }).click();
      await dialog().getByLabel("Name").fill("Old shop");
      await dialog().getByLabel("Address").fill("file:///etc/passwd");
      await dialog().getByLabel("WordPress user").fill(site.admin.user);
      await dialog().getByLabel("Application password").fill(site.admin.applicationPassword);
      await dialog().getByRole("button", { name: "Add site" }).click();
      await expect
        .poll(() => dialog().getByLabel("Address").getAttribute("aria-invalid"))
        .toBe("true");
      await axe();
      await dialog().getByLabel("Address").fill(`${site.url}/shop`);
      await submit("Add site");
      await ui.page.getByRole("heading", { name: "Old shop" }).waitFor();
      await ui.page.getByText("Fix:").first().waitFor();
      await axe();
      await shot("cms-site-diagnosis");

      await ui.page.goto(`${ui.panel.url}/cms-sites`);
      await ui.page.getByLabel("Account").selectOption({ label: "Agency" });
      const table = ui.page.getByRole("table", { name: "CMS sites", exact: true });
      const blog = table.getByRole("row").filter({ hasText: "Company blog" });
      await blog.getByText("1 update").waitFor();
      await expect.poll(() => blog.textContent()).toMatch(/6\.1\.\d+.*connected/);
      await table
        .getByRole("row")
        .filter({ hasText: "Old shop" })
        .getByText("api-missing")
        .waitFor();
      await axe();
      await shot("cms-fleet");

      await blog.getByRole("link", { name: "Company blog" }).click();
      await ui.page.getByRole("heading", { name: "Company blog" }).waitFor();
      await ui.page.getByText("America/Chicago", { exact: true }).waitFor();
      const extensions = ui.page.getByRole("table", { name: "Plugins and themes of Company blog" });
      await extensions.getByText("Steward Connector").waitFor();
      await axe();
      await shot("cms-site");
      await extensions.getByRole("button", { name: "Update to 1.1.0" }).click();
      await ui.page.getByText(/Started task/).waitFor();
      const hello = extensions.getByRole("row").filter({ hasText: "Hello Steward" });
      await expect
        .poll(() => hello.textContent(), { timeout: 90_000 })
        .toMatch(/1\.1\.0.*up to date/);
      expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
      await shot("cms-site-updated");

      expect(ui.dialogs).toEqual([]);
    });
  },
);
