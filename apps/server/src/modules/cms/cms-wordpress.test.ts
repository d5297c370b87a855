// The CMS fleet against a real WordPress (testkit: Debian's WordPress, php-fpm, nginx,
// MariaDB; a local update source): the connector installed from the zip the panel serves,
// a site added and diagnosed, each diagnostic case produced by the real thing (a bad
// application password, an editor's password, the connector deactivated, a closed port, an
// address that is not WordPress, a server that forbids), versions and extensions read, a
// plugin update offered by the update source applied and seen in the next refresh; a broken
// update is caught by the home page check and rolled back. The installation's allow list names 127.0.0.1, as a test
// installation's would.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort, helloPlugin, startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { CONNECTOR, installConnector } from "../../testing/wordpress-connector.ts";

const wp = await startWordPress();
const HELLO = "hello-steward/hello-steward.php";

let forbidding: Server;
let forbiddingUrl = "";
beforeAll(async () => {
  forbidding = createServer((_req, res) => res.writeHead(403).end("blocked by the WAF"));
  await new Promise<void>((resolve) => forbidding.listen(0, "127.0.0.1", resolve));
  forbiddingUrl = `http://127.0.0.1:${(forbidding.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => forbidding.close(r));
  await wp?.stop();
});

describe.skipIf(!wp)("CMS sites against a real WordPress", () => {
  const site = wp as WordPressSite;
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let id = "";

  const add = (name: string, body: Record<string, unknown> = {}) =>
    s.request("POST", "/api/v1/cms-sites", {
      key: w.keys.accountAdmin,
      body: {
        account: w.a,
        name,
        url: site.url,
        username: site.admin.user,
        applicationPassword: site.admin.applicationPassword,
        ...body,
      },
    });
  const codes = (diagnosis: { problems: { code: string }[] }) =>
    diagnosis.problems.map((p) => p.code);
  const refreshed = async () => {
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
      key: w.keys.operator,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const task = await settleTask(s, started.body.taskId, 60_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    return (await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader })).body;
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    // the connector as a user installs it: the zip the panel serves, through WordPress's upgrader
    await installConnector(s, w.keys.reader, site);
  }, 120_000);

  it("adds a site: diagnosed without a problem, the password never answered", async () => {
    const made = await add("blog", { timezone: "America/Chicago" });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      accountId: w.a,
      name: "blog",
      kind: "wordpress",
      url: site.url,
      username: "admin",
      timezone: "America/Chicago",
      diagnosis: { ok: true, problems: [] },
    });
    expect(JSON.stringify(made.body)).not.toContain(site.admin.applicationPassword);
    id = made.body.id;
    const listed = await s.request("GET", `/api/v1/cms-sites?account=${w.a}`, {
      key: w.keys.reader,
    });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    const other = await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.otherAdmin });
    expect(other.status).toBe(404);
  });

  it("lets a grant on the site decide over the account's (none hides it, admin may update)", async () => {
    const grant = async (user: string, role: string) =>
      s.request("POST", "/api/v1/grants", {
        key: w.keys.super,
        body: {
          principalType: "user",
          principalId: user,
          scopeType: "resource",
          scopeId: `cms_site:${id}`,
          role,
        },
      });
    const none = await grant(w.userIds.reader, "none");
    expect(none.status, JSON.stringify(none.body)).toBe(200);
    const admin = await grant(w.userIds.operator, "admin");
    try {
      expect(
        (await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader })).status,
      ).toBe(404);
      const listed = await s.request("GET", `/api/v1/cms-sites?account=${w.a}`, {
        key: w.keys.reader,
      });
      expect(listed.body.items).toEqual([]);
      const core = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
        key: w.keys.operator,
        body: { type: "theme", slug: "nope" },
      });
      // allowed to update: refused for the slug only (the site has no such theme)
      expect(core.status).toBe(400);
    } finally {
      for (const g of [none.body.id, admin.body.id])
        await s.request("DELETE", `/api/v1/grants/${g}`, { key: w.keys.super });
    }
    expect((await s.request("GET", `/api/v1/cms-sites/${id}`, { key: w.keys.reader })).status).toBe(
      200,
    );
  });

  it("reads the versions and extensions through the connector", async () => {
    const body = await refreshed();
    expect(body.coreVersion).toMatch(/^6\.\d+/);
    expect(body.refreshError).toBeNull();
    expect(body.info).toMatchObject({ connector: "0.4.0", siteUrl: site.url, coreUpdate: null });
    expect(body.info.php).toMatch(/^8\./);
    expect(body.info.database).toMatch(/MariaDB|^\d+\.\d+/);
    const plugins = body.info.extensions.filter((e: { type: string }) => e.type === "plugin");
    expect(plugins).toEqual(
      expect.arrayContaining([
        {
          type: "plugin",
          slug: HELLO,
          name: "Hello Steward",
          version: "1.0.0",
          active: false,
          update: null,
        },
        expect.objectContaining({ slug: CONNECTOR, version: "0.4.0", active: true }),
      ]),
    );
    expect(body.info.extensions).toContainEqual(
      expect.objectContaining({ type: "theme", slug: "steward-test", active: true }),
    );
  });

  it("names each connection problem with its fix and docs", async () => {
    const bad = await add("bad password", { applicationPassword: "abcd efgh ijkl mnop qrst uvwx" });
    expect(bad.status).toBe(201);
    expect(codes(bad.body.diagnosis)).toEqual(["unauthorized"]);
    expect(bad.body.diagnosis.problems[0]).toMatchObject({
      severity: "error",
      docs: "docs/cms.md#unauthorized",
    });
    expect(bad.body.diagnosis.problems[0].fix).toContain("Application Passwords");

    const closed = await add("closed port", { url: `http://127.0.0.1:${await freePort()}` });
    expect(codes(closed.body.diagnosis)).toEqual(["tcp-refused"]);
    const notWp = await add("not wordpress", { url: `${site.url}/not-wordpress` });
    expect(codes(notWp.body.diagnosis)).toEqual(["api-missing"]);
    const waf = await add("waf", { url: forbiddingUrl });
    expect(codes(waf.body.diagnosis)).toEqual(["forbidden"]);

    // an editor's application password: WordPress accepts it, the connector refuses it
    const editor = JSON.parse(
      await site.php(`
        $id = wp_insert_user(['user_login' => 'editor', 'user_pass' => 'editor-pass-1', 'role' => 'editor']);
        $app = WP_Application_Passwords::create_new_application_password($id, ['name' => 'steward']);
        echo json_encode($app[0]);`),
    ) as string;
    const weak = await add("editor", { username: "editor", applicationPassword: editor });
    expect(codes(weak.body.diagnosis)).toEqual(["no-capability"]);

    await site.deactivatePlugin(CONNECTOR);
    try {
      const missing = await s.request("POST", `/api/v1/cms-sites/${id}/diagnose`, {
        key: w.keys.operator,
      });
      expect(missing.status).toBe(200);
      expect(codes(missing.body)).toEqual(["connector-missing"]);
      expect(missing.body.ok).toBe(false);
    } finally {
      await site.activatePlugin(CONNECTOR);
    }
    const again = await s.request("POST", `/api/v1/cms-sites/${id}/diagnose`, {
      key: w.keys.operator,
    });
    expect(again.body).toMatchObject({ ok: true, problems: [] });
  });

  it("applies a plugin update the update source offers, seen in the next refresh", async () => {
    await site.updates.offerPlugin({ file: HELLO, version: "1.1.0", files: helloPlugin("1.1.0") });
    const before = await refreshed();
    expect(before.updatesAvailable).toBe(1);
    const offers = await s.request("GET", `/api/v1/cms-sites/${id}/updates`, {
      key: w.keys.reader,
    });
    expect(offers.body.items).toEqual([
      { type: "plugin", slug: HELLO, name: "Hello Steward", from: "1.0.0", to: "1.1.0" },
    ]);
    const denied = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.operator,
      body: { type: "plugin", slug: HELLO },
    });
    expect(denied.status).toBe(403);
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: HELLO },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const task = await settleTask(s, started.body.taskId, 120_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(task.priority).toBe(1);
    expect(task.expression).toBeNull();
    expect(await taskLogText(s, task.id)).toContain("the home page answers HTTP 200");
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
    site.updates.clearPlugins();
    const after = await refreshed();
    expect(after.updatesAvailable).toBe(0);
    expect(after.info.extensions).toContainEqual(
      expect.objectContaining({ slug: HELLO, version: "1.1.0", update: null }),
    );
  });

  it("rolls back an update after which the home page fails", async () => {
    await site.activatePlugin(HELLO);
    const broken =
      "add_action('template_redirect', function () { status_header(500); exit('broken'); });";
    await site.updates.offerPlugin({
      file: HELLO,
      version: "1.2.0",
      files: helloPlugin("1.2.0", broken),
    });
    await refreshed();
    // upgrades start 2 minutes apart: this test's second one need not wait
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: HELLO },
    });
    const task = await settleTask(s, started.body.taskId, 120_000);
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain("the home page answers HTTP 500");
    expect(task.last_error).toContain("rolled back to 1.1.0");
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
  });

  it("refuses an extension the site does not have, changing nothing", async () => {
    const made = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: "nope/nope.php" },
    });
    expect(made.status).toBe(400);
    expect(made.body.error.field ?? JSON.stringify(made.body)).toContain("slug");
  });
});
