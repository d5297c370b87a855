// Safe updates against a real WordPress (testkit: Debian's WordPress, php-fpm, nginx, MariaDB
// and a local update source), with the connector installed from the panel's zip: a policy
// with a window open now lets the upgrade scan push the site's run-once upgrade task, which
// makes a restore point, updates the plugin and checks the home page; a broken update (a
// plugin whose new version fatals on every page) is caught by that check and rolled back (the
// site answers 200 again, the plugin back at its old version), through the same task pushed
// again by the user. The history records both and a webhook channel's rule receives the
// cms.update.* events; the connector's restore routes refuse what they cannot vouch for; a
// plugin whose files cannot be zipped is restored from the package WordPress.org's plugins API
// offers for the version it ran (the update source's `plugins/info/1.2`). The
// installation's allow list names 127.0.0.1, as a test one's would.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { helloPlugin, startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRule, HOOK_SECRET, hooks, until, webhookChannel } from "../../testing/dispatch.ts";
import { forgetGap } from "../../testing/engine.ts";
import { settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { addBlog, CONNECTOR, installConnector } from "../../testing/wordpress-connector.ts";
import { useFake } from "../notifications/channels/fakes/use-fake.ts";
import { webhookFake } from "../notifications/channels/fakes/webhook.ts";
import { scanUpgrades } from "./upgrade-scan.ts";

const wp = await startWordPress();
const HELLO = "hello-steward/hello-steward.php";
const fake = useFake(webhookFake(HOOK_SECRET));

afterAll(async () => {
  await wp?.stop();
});

describe.skipIf(!wp)("safe updates against a real WordPress", () => {
  const site = wp as WordPressSite;
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let id = "";
  let upgradeTask = "";

  const refreshed = async () => {
    const started = await s.request("POST", `/api/v1/cms-sites/${id}/refresh`, {
      key: w.keys.operator,
    });
    const task = await settleTask(s, started.body.taskId, 60_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
  };
  const history = async () =>
    (await s.request("GET", `/api/v1/cms-sites/${id}/history`, { key: w.keys.reader })).body
      .items as { outcome: string; from: string; to: string; message: string; slug: string }[];
  const home = async () => (await fetch(site.url)).status;

  beforeAll(async () => {
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    await installConnector(s, w.keys.reader, site);
    await site.activatePlugin(HELLO);
    id = await addBlog(s, w.keys.accountAdmin, w.a, site, { timezone: "America/Chicago" });
    const channel = await webhookChannel(s, w.keys.accountAdmin, w.a, "cms", fake);
    await addRule(s, w.a, { eventTypes: ["cms.update."] }, [channel]);
  }, 120_000);

  it("applies an allowed update inside the window, a restore point first", async () => {
    // a window open now, in the site's time zone (Chicago): from the start of this local hour
    const hour = new Intl.DateTimeFormat("en-US", {
      timeZone: "America/Chicago",
      hour: "2-digit",
      hourCycle: "h23",
    }).format(new Date());
    const policy = await s.request("PUT", "/api/v1/update-policies", {
      key: w.keys.accountAdmin,
      body: {
        account: w.a,
        site: id,
        level: "minor",
        window: { start: `${hour.padStart(2, "0")}:00`, durationMinutes: 120 },
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    await site.updates.offerPlugin({ file: HELLO, version: "1.1.0", files: helloPlugin("1.1.0") });
    await refreshed();
    const judged = await s.request("GET", `/api/v1/cms-sites/${id}/policy`, { key: w.keys.reader });
    expect(judged.body.offers).toEqual([
      expect.objectContaining({ slug: HELLO, from: "1.0.0", to: "1.1.0", automatic: true }),
    ]);

    const now = Date.now();
    const scan = await scanUpgrades({ db: s.svc.db, engine: s.svc.engine }, now);
    expect(scan.scheduled).toEqual([{ siteId: id, runAt: now }]);
    const task = await settleTask(s, (await upgradeTaskOf()).id, 120_000);
    upgradeTask = task.id;
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(task).toMatchObject({ kind: "cms.upgrade", priority: 1, expression: null });
    const log = await taskLogText(s, task.id);
    expect(log).toContain(`restore point of plugin ${HELLO} at 1.0.0`);
    expect(log).toContain("the home page answers HTTP 200");
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
    expect((await history())[0]).toMatchObject({
      outcome: "succeeded",
      slug: HELLO,
      from: "1.0.0",
      to: "1.1.0",
    });
    // a second scan finds the task done and nothing left to apply
    site.updates.clearPlugins();
    await refreshed();
    expect(
      (await scanUpgrades({ db: s.svc.db, engine: s.svc.engine }, Date.now())).scheduled,
    ).toEqual([]);
    await until(() => hooks(fake, "cms").some((h) => h.subject === "Updated: blog"));
    expect(hooks(fake, "cms").map((h) => h.subject)).toContain("Updates available: blog");
  });

  it("rolls back an update that fatals: the site answers again at the old version", async () => {
    const fatal = "add_action('template_redirect', function () { steward_no_such_function(); });";
    await site.updates.offerPlugin({
      file: HELLO,
      version: "1.2.0",
      files: helloPlugin("1.2.0", fatal),
    });
    await refreshed();
    await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
    // the user's update pushes the same run-once task again
    const pushed = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
      key: w.keys.accountAdmin,
      body: { type: "plugin", slug: HELLO },
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
    expect(pushed.body.taskId).toBe(upgradeTask);
    const task = await settleTask(s, pushed.body.taskId, 120_000);
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain("the home page answers HTTP 500");
    expect(task.last_error).toContain("rolled back to 1.1.0");
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
    expect(await home()).toBe(200);
    expect((await history())[0]).toMatchObject({
      outcome: "rolled_back",
      slug: HELLO,
      from: "1.1.0",
      to: "1.2.0",
    });
    await until(() => hooks(fake, "cms").some((h) => h.subject === "Update rolled back: blog"));
  });

  it("refuses restore points and restores the connector cannot vouch for, changing nothing", async () => {
    const auth = Buffer.from(`${site.admin.user}:${site.admin.applicationPassword}`).toString(
      "base64",
    );
    const call = async (route: string, body: unknown) =>
      (
        await fetch(`${site.url}/wp-json/steward/v1/${route}`, {
          method: "POST",
          headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      ).status;
    const cases: [string, unknown, number][] = [
      ["restore-point", { type: "plugin", slug: "../../wp-config.php" }, 400],
      ["restore-point", { type: "plugin", slug: "hello-steward/x.php;rm" }, 400],
      ["restore-point", { type: "core", slug: "" }, 400],
      ["restore-point", { type: "plugin", slug: "nope/nope.php" }, 404],
      ["restore-point", { type: "theme", slug: "nope" }, 404],
      ["restore", { type: "plugin", slug: HELLO, id: "../../../wp-config" }, 400],
      ["restore", { type: "plugin", slug: HELLO, id: "0".repeat(32) }, 404],
      ["restore", { type: "plugin", slug: `${HELLO}\n`, id: "0".repeat(32) }, 400],
    ];
    for (const [route, body, status] of cases)
      expect(await call(route, body), `${route} ${JSON.stringify(body)}`).toBe(status);
    // a restore point of one extension does not restore another
    const made = await call("restore-point", { type: "plugin", slug: HELLO });
    expect(made).toBe(200);
    const points = JSON.parse(
      await site.php("echo json_encode(array_keys(get_option('steward_restore_points', [])));"),
    ) as string[];
    expect(points).toHaveLength(1);
    expect(await call("restore", { type: "plugin", slug: CONNECTOR, id: points[0] })).toBe(404);
    expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
    expect(await home()).toBe(200);
  });

  it("restores a plugin whose files cannot be zipped from WordPress.org's package", async () => {
    // the restore points' folder cannot be made: a file the web server's user cannot replace
    const restoreDir = join(site.root, "wp-content/steward-restore");
    rmSync(restoreDir, { recursive: true, force: true });
    writeFileSync(restoreDir, "not a folder\n", { mode: 0o444 });
    try {
      const fatal = "add_action('template_redirect', function () { steward_no_such_function(); });";
      await site.updates.offerPlugin({
        file: HELLO,
        version: "1.3.0",
        files: helloPlugin("1.3.0", fatal),
      });
      await refreshed();
      await forgetGap(s.svc.db, "cms.upgrade:cms-upgrade");
      const pushed = await s.request("POST", `/api/v1/cms-sites/${id}/update`, {
        key: w.keys.accountAdmin,
        body: { type: "plugin", slug: HELLO },
      });
      expect(pushed.status, JSON.stringify(pushed.body)).toBe(202);
      const task = await settleTask(s, pushed.body.taskId, 120_000);
      expect(task.state).toBe("failed");
      expect(task.last_error).toContain("rolled back to 1.1.0");
      expect(await taskLogText(s, task.id)).toContain(
        `restore point of plugin ${HELLO} at 1.1.0 (WordPress.org's package: its files could not be zipped)`,
      );
      expect(site.updates.requests).toContain("/plugins/info/1.2/");
      expect(site.updates.requests).toContain("/packages/hello-steward.1.1.0.zip");
      expect(await site.pluginVersion(HELLO)).toBe("1.1.0");
      expect(await home()).toBe(200);
      expect((await history())[0]).toMatchObject({ outcome: "rolled_back", to: "1.3.0" });
      // a plugin WordPress.org offers no update of gets no package: no restore point, no update
      site.updates.clearPlugins();
      const refused = await fetch(`${site.url}/wp-json/steward/v1/restore-point`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${site.admin.user}:${site.admin.applicationPassword}`).toString("base64")}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ type: "plugin", slug: HELLO }),
      });
      expect(refused.status).toBe(500);
      expect(((await refused.json()) as { message: string }).message).toContain(
        "WordPress.org offers no package of version 1.1.0",
      );
    } finally {
      rmSync(restoreDir, { force: true });
      site.updates.clearPlugins();
    }
  });

  async function upgradeTaskOf() {
    const tasks = await s.request("GET", `/api/v1/tasks?target=cms_site:${id}&kind=cms.upgrade`, {
      key: w.keys.accountAdmin,
    });
    expect(tasks.body.items).toHaveLength(1);
    return tasks.body.items[0] as { id: string };
  }
});
