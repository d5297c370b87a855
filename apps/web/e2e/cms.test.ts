// The CMS fleet in the console against a real panel and a real WordPress (testkit, the
// connector of this repository active, a plugin update offered by the local update source):
// the fleet shows the site with its core version, one update waiting and its connection; the
// site's page shows its versions, extensions and diagnosis; a site added with the form (a
// hostile address refused at its field first) lands on its page with its diagnosis; "Update to 1.1.0" runs the update
// task and the page follows it until the plugin is up to date. Under the fleet, the extensions
// across sites: an outdated plugin with its offer, an abandoned one (wordpress.org's plugins API
// is a strict recording fake here: not reachable) with its last release and "no release in N
// months", filtered by slug from a row, empty states; light and dark. The pages pass axe.
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { helloPlugin, startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { agencyBlog } from "./cms-blog.ts";
import { PASSWORD, signedInPage } from "./harness.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const connector = fileURLToPath(
  new URL("../../../connectors/wordpress/steward-connector", import.meta.url),
);
const HELLO = "hello-steward/hello-steward.php";
const wp = await startWordPress({ plugins: [{ dir: connector }] });
afterAll(() => wp?.stop());
const shots = process.env.STEWARD_SCREENSHOTS;
const READER = "reader@example.com";

// wordpress.org's plugins API as the plugin-directory task asks it (plugin_information); the
// connector is not in the directory (404); anything else is recorded as unexpected
const unexpected: string[] = [];
const directory = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://fake");
  const slug = url.searchParams.get("request[slug]") ?? "";
  if (
    req.method !== "GET" ||
    url.pathname !== "/plugins/info/1.2/" ||
    url.searchParams.get("action") !== "plugin_information"
  ) {
    unexpected.push(`${req.method} ${req.url}`);
    return res.writeHead(400).end("unexpected request");
  }
  const json = (status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  if (slug !== "hello-steward") return json(404, { error: "Plugin not found." });
  json(200, { slug, version: "1.2.0", last_updated: "2019-03-02 9:05am GMT" });
});
await new Promise<void>((resolve) => directory.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise((resolve) => directory.close(resolve)));
const PLUGINS_API = `http://127.0.0.1:${(directory.address() as AddressInfo).port}/plugins/info/1.2/`;

(wp ? describeConsole : describeConsole.skip)(
  "CMS sites in the console",
  { timeout: 180_000 },
  () => {
    const site = wp as WordPressSite;
    const ui = useConsole({
      panel: {
        env: {
          STEWARD_LOCAL_AGENT: "0",
          STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
          STEWARD_WORDPRESS_PLUGINS_API: PLUGINS_API,
        },
      },
      signIn: true,
    });
    const { axe, dialog, submit } = onPage(ui);
    const api = async (method: string, path: string, body?: unknown) =>
      (await ui.panel.api(method, path, { key: ui.key, body })).body;
    let blogId = "";
    let blogAccount = "";
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
      const { account, blog: added } = await agencyBlog(api, site, { timezone: "America/Chicago" });
      blogId = added.id;
      blogAccount = account.id;
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
      // hosting on Steward is offered from the account's PHP sites (Agency has none)
      await expect
        .poll(() => dialog().getByLabel("Hosted on (optional)").locator("option").allTextContents())
        .toEqual(["Not hosted by Steward"]);
      await shot("cms-site-form");
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

    it("shows the extensions across sites: outdated, abandoned, one plugin's sites", async () => {
      // a newer release offered again, seen by a refresh
      await site.updates.offerPlugin({
        file: HELLO,
        version: "1.2.0",
        files: helloPlugin("1.2.0"),
      });
      await api("POST", `/api/v1/cms-sites/${blogId}/refresh`);
      await expect
        .poll(async () => (await api("GET", `/api/v1/cms-sites/${blogId}`)).updatesAvailable, {
          timeout: 60_000,
        })
        .toBe(1);

      const page = ui.page;
      await page.goto(`${ui.panel.url}/cms-sites`);
      await page.getByLabel("Account").selectOption({ label: "Agency" });
      const card = page
        .locator("section")
        .filter({ has: page.getByRole("heading", { name: "Extensions across sites" }) });
      const table = page.getByRole("table", { name: "Extensions across sites" });
      await table.getByText("Steward Connector").first().waitFor();
      // abandoned: none known before the directory was asked
      await card.getByLabel("Show").selectOption("abandoned");
      await card.getByText("No abandoned plugin.").waitFor({ timeout: 30_000 });
      await axe();

      // outdated: the plugin with its offer, named by its site
      await card.getByLabel("Show").selectOption("outdated");
      const hello = table.getByRole("row").filter({ hasText: HELLO });
      await expect
        .poll(() => hello.textContent())
        .toMatch(/Company blog.*1\.1\.0.*1\.2\.0 offered/);
      expect(await table.getByText("Steward Connector").count()).toBe(0);

      // the directory asked (the installation's task, run now): hello-steward last released in
      // 2019, so it is abandoned; the connector is not in the directory, so it is not
      const [task] = (await api("GET", "/api/v1/tasks?kind=cms.plugin-directory")).items;
      const before = task.finishedAt;
      await api("POST", `/api/v1/tasks/${task.id}/run`);
      await expect
        .poll(async () => (await api("GET", `/api/v1/tasks/${task.id}`)).finishedAt, {
          timeout: 60_000,
        })
        .not.toBe(before);
      expect((await api("GET", `/api/v1/tasks/${task.id}`)).lastOutcome).toBe("succeeded");
      expect(unexpected).toEqual([]);
      await page.reload();
      await page.getByLabel("Account").selectOption({ label: "Agency" });
      await card.getByLabel("Show").selectOption("abandoned");
      await expect
        .poll(() => hello.textContent(), { timeout: 30_000 })
        .toMatch(/abandoned.*2019-03-02.*no release in \d+ months/);
      // the header and the one abandoned plugin, once the filter's answer is in
      await expect.poll(() => table.getByRole("row").count()).toBe(2);
      await axe();
      await shot("cms-extensions-abandoned");
      await page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
      await page.reload();
      await page.getByLabel("Account").selectOption({ label: "Agency" });
      await card.getByLabel("Show").selectOption("abandoned");
      await hello.getByText("no release in", { exact: false }).waitFor();
      await axe();
      await shot("cms-extensions-abandoned-dark");
      await page.evaluate(() => localStorage.setItem("steward.theme", "light"));

      // one plugin's sites, from its slug in a row; a hostile slug refused by the API, said
      await card.getByLabel("Show").selectOption("all");
      await table.getByRole("button", { name: HELLO }).click();
      await expect.poll(() => card.getByLabel("Extension slug").inputValue()).toBe(HELLO);
      await expect.poll(() => table.getByRole("row").count()).toBe(2);
      await card.getByLabel("Extension slug").fill("x';--");
      await card.getByRole("alert").getByText(/slug/i).waitFor();
      await card.getByRole("button", { name: "Clear filters" }).click();
      await table.getByText("Steward Connector").first().waitFor();

      // a reader of the account: the sites and their extensions, no bulk update (the API would
      // leave every site out: none it may manage)
      const reader = await ui.panel.api("POST", "/api/v1/users", {
        key: ui.key,
        body: { email: READER, password: PASSWORD },
      });
      expect(reader.status, JSON.stringify(reader.body)).toBe(201);
      const grant = await ui.panel.api("POST", "/api/v1/grants", {
        key: ui.key,
        body: {
          principalType: "user",
          principalId: reader.body.id,
          scopeType: "account",
          scopeId: blogAccount,
          role: "read",
        },
      });
      expect(grant.status, JSON.stringify(grant.body)).toBe(200);
      const { context, page: rp } = await signedInPage(ui.browser, ui.panel, READER, ui.dialogs);
      try {
        await rp.goto(`${ui.panel.url}/cms-sites`);
        await rp.getByLabel("Account").selectOption({ label: "Agency" });
        await rp.getByRole("table", { name: "Extensions across sites" }).getByText(HELLO).waitFor();
        await rp.getByText("1 update").waitFor();
        expect(await rp.getByRole("button", { name: "Bulk update" }).count()).toBe(0);
        // nor the account's defaults, nor adding a site: its admins' (the account says so)
        expect(await rp.getByRole("button", { name: "Update defaults" }).count()).toBe(0);
        expect(await rp.getByRole("button", { name: "Add site" }).count()).toBe(0);
      } finally {
        await context.close();
      }
      expect(await page.getByRole("button", { name: "Bulk update" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Update defaults" }).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Add site" }).count()).toBe(1);
      expect(ui.dialogs).toEqual([]);
    });
  },
);
