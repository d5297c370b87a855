// Safe updates of a Steward-hosted WordPress (docs/cms.md#a-steward-hosted-site), all real: an
// enrolled agent whose node has a hermetic nginx, PHP-FPM and MariaDB (started once for the
// file) hosts a PHP site made through the API; WordPress is installed into the site's home
// with its database made through the databases API on the node's MariaDB, and the connector
// from the panel's zip. The CMS site is linked to that site and to a backup plan of its home
// and database into a directory of the node. A plugin update whose new version writes a row
// and fatals on every page is caught by the HTTP check; the upgrade task backed up the site
// through the plan first (its runs and artifacts in the backups lists) and restores both
// artifacts through the backups capability: the plugin back at 1.0.0, the row gone, the home
// page 200, the history naming the artifacts. The link itself refuses what is not the
// account's (the same answer for another account's site as for none).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  helloPlugin,
  type InstalledWordPress,
  installWordPress,
  type MariadbServer,
  type NginxServer,
  type PhpFpmServer,
  startMariadb,
  startNginx,
  startPhpFpm,
  startWordPressUpdateSource,
  type WordPressUpdateSource,
  waitAnswering,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { installConnector } from "../../testing/wordpress-connector.ts";

const HELLO = "hello-steward/hello-steward.php";
const LISTEN = "127.0.0.19";
let mariadb: MariadbServer;
let nginx: NginxServer;
let php: PhpFpmServer;
let updates: WordPressUpdateSource;
const disk = mkdtempSync(join(tmpdir(), "stw-cms-hosted-"));
chmodSync(disk, 0o700);

beforeAll(async () => {
  const [m, n, p, u] = await Promise.all([
    startMariadb(),
    // the site is the listener's default server: the panel calls it by its address
    startNginx({ listen: LISTEN, defaultServer: false }),
    startPhpFpm(),
    startWordPressUpdateSource(),
  ]);
  if (!m || !n || !p) throw new Error("MariaDB, nginx and PHP-FPM are needed");
  [mariadb, nginx, php, updates] = [m, n, p, u];
}, 120_000);
afterAll(async () => {
  await Promise.all([mariadb?.stop(), nginx?.stop(), php?.stop(), updates?.stop()]);
  rmSync(disk, { recursive: true, force: true });
});

describe("safe updates of a Steward-hosted WordPress through the backups capability", () => {
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: `${LISTEN}/32` } });
  const w = useWorld(s);
  let node: RealNode;
  let wp: InstalledWordPress;
  let siteId = "";
  let planId = "";
  let dbOnlyPlan = "";
  let cmsId = "";
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const ok = async (r: { status: number; body: unknown }, status: number) => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body as { id: string; taskId: string; systemUser: string } & Record<string, unknown>;
  };
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 90_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "wordpress-node",
      nginx,
      agentJson: {
        phpFpm: {
          bin: php.bin,
          confFile: php.conf,
          prefix: php.dir,
          poolDir: php.poolDir,
          socketDir: php.socketDir,
          pidFile: php.pidFile,
        },
        databases: { mariadb: { socket: mariadb.socket, adminUser: "root" } },
      },
    });
    await settled(
      (await ok(await api("POST", `/api/v1/nodes/${node.id}/facts/refresh`, {}, w.keys.super), 202))
        .taskId,
    );
    const site = await ok(
      await api("POST", "/api/v1/sites", {
        node: node.id,
        account: w.a,
        kind: "php",
        domains: ["blog.test"],
        https: false,
        monitor: false,
      }),
      201,
    );
    siteId = site.id;
    await settled(site.taskId);
    const server = await ok(
      await api("POST", "/api/v1/database-servers", {
        name: "node-mariadb",
        engine: "mariadb",
        accountId: w.a,
        placement: "on-node",
        nodeId: node.id,
      }),
      201,
    );
    const database = await ok(
      await api("POST", "/api/v1/databases", { serverId: server.id, name: "blog" }),
      201,
    );
    await mariadb.sql(
      "CREATE USER 'blog'@'127.0.0.1' IDENTIFIED BY 'blog-pass'; GRANT ALL ON blog.* TO 'blog'@'127.0.0.1';",
    );

    // WordPress in the site's home, owned by the site's system user (its PHP runs as it)
    const home = join(node.web, "sites", siteId);
    const uid = Number(execFileSync("id", ["-u", site.systemUser]).toString());
    const gid = Number(execFileSync("id", ["-g", site.systemUser]).toString());
    wp = await installWordPress({
      dir: home,
      root: join(home, "public"),
      url: `http://${LISTEN}:${nginx.port}`,
      db: { port: mariadb.port, name: "blog", user: "blog", password: "blog-pass" },
      updateSource: updates.url,
      owner: { uid, gid },
    });
    await waitAnswering(wp.url);
    await installConnector(s, w.keys.reader, wp);
    await wp.activatePlugin(HELLO);

    // the plan: the site's home and its database, into a directory of the node
    const files = await ok(
      await api(
        "POST",
        "/api/v1/backup-sources",
        {
          name: "blog files",
          accountId: w.a,
          source: { kind: "files", nodeId: node.id, path: home },
        },
        w.keys.super,
      ),
      201,
    );
    const db = await ok(
      await api("POST", "/api/v1/backup-sources", {
        name: "blog database",
        accountId: w.a,
        source: { kind: "database", databaseId: database.id },
      }),
      201,
    );
    const destination = await ok(
      await api(
        "POST",
        "/api/v1/backup-destinations",
        {
          name: "node disk",
          accountId: w.a,
          settings: { kind: "local", nodeId: node.id, path: join(disk, "blog") },
          saveAnyway: true,
        },
        w.keys.super,
      ),
      201,
    );
    const plan = await ok(
      await api("POST", "/api/v1/backup-plans", {
        name: "blog before updates",
        accountId: w.a,
        sourceIds: [files.id, db.id],
        destinationIds: [destination.id],
        schedule: null,
        encryption: { mode: "panel" },
        retention: { keepLast: 3 },
      }),
      201,
    );
    planId = plan.id;
    // a plan of the database alone: no restore point for the site's files
    const dbOnly = await ok(
      await api("POST", "/api/v1/backup-plans", {
        name: "blog database only",
        accountId: w.a,
        sourceIds: [db.id],
        destinationIds: [destination.id],
        schedule: null,
        encryption: { mode: "panel" },
        retention: { keepLast: 3 },
      }),
      201,
    );
    dbOnlyPlan = dbOnly.id;
  }, 240_000);
  afterAll(() => node?.close());

  it("links the CMS site to its Steward site and backup plan, refusing what is not the account's", async () => {
    const base = {
      account: w.a,
      name: "hosted blog",
      url: wp.url,
      username: wp.admin.user,
      applicationPassword: wp.admin.applicationPassword,
    };
    // another account's site and an unknown one: the same refusal, naming the field
    const foreign = await api(
      "POST",
      "/api/v1/sites",
      { node: node.id, account: w.b, kind: "php", domains: ["other.test"], https: false },
      w.keys.super,
    );
    // its apply reloads the node's nginx: done before the blog is diagnosed
    await settleTask(s, foreign.body.taskId, 90_000);
    for (const site of [foreign.body.id as string, "site_unknown"]) {
      const refused = await api("POST", "/api/v1/cms-sites", { ...base, site, backupPlan: planId });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details).toEqual([
        { field: "site", message: "no such site in this account" },
      ]);
    }
    const alone = await api("POST", "/api/v1/cms-sites", { ...base, site: siteId });
    expect(alone.body.error.details[0].field).toBe("body.backupPlan");
    const partial = await api("POST", "/api/v1/cms-sites", {
      ...base,
      site: siteId,
      backupPlan: dbOnlyPlan,
    });
    expect(partial.body.error.details).toEqual([
      { field: "backupPlan", message: "the plan backs up no directory of the site's node" },
    ]);
    expect((await api("GET", `/api/v1/cms-sites?account=${w.a}`)).body.items).toEqual([]);

    const made = await ok(await api("POST", "/api/v1/cms-sites", base), 201);
    cmsId = made.id;
    expect(made, JSON.stringify(made.diagnosis)).toMatchObject({
      hosted: null,
      diagnosis: { ok: true },
    });
    const linked = await ok(
      await api("PATCH", `/api/v1/cms-sites/${cmsId}`, { site: siteId, backupPlan: planId }),
      200,
    );
    expect(linked.hosted).toEqual({ site: siteId, backupPlan: planId });
    // WordPress's media directory is the hosting site's writable directory now, applied by its task
    const hosting = await ok(await api("GET", `/api/v1/sites/${siteId}`), 200);
    expect(hosting.writableDirs).toEqual(["uploads", "wp-content/uploads"]);
    await settled(hosting.taskId);
    // a reader cannot link; the reader still sees the link
    expect(
      (
        await api(
          "PATCH",
          `/api/v1/cms-sites/${cmsId}`,
          { site: null, backupPlan: null },
          w.keys.reader,
        )
      ).status,
    ).toBe(403);
    expect(
      (await api("GET", `/api/v1/cms-sites/${cmsId}`, undefined, w.keys.reader)).body.hosted,
    ).toEqual({ site: siteId, backupPlan: planId });
  });

  it("backs the site up through its plan, and restores files and database when the update fatals", async () => {
    const fatal = [
      // written after the backup: the database's restore takes it away
      "update_option('hello_steward_marker', 'written by 1.1.0');",
      "add_action('template_redirect', function () { steward_no_such_function(); });",
    ].join("\n");
    await updates.offerPlugin({
      file: HELLO,
      version: "1.1.0",
      files: helloPlugin("1.1.0", fatal),
    });
    await settled((await ok(await api("POST", `/api/v1/cms-sites/${cmsId}/refresh`), 202)).taskId);
    // this attempt's backups (a retry of this test finds the earlier attempt's too)
    const since = Date.now() - 1_000;
    const ours = <T extends { createdAt: string }>(items: T[]) =>
      items.filter((i) => Date.parse(i.createdAt) >= since);
    const pushed = await ok(
      await api("POST", `/api/v1/cms-sites/${cmsId}/update`, { type: "plugin", slug: HELLO }),
      202,
    );
    const task = await settleTask(s, pushed.taskId, 240_000);
    const log = await taskLogText(s, task.id);
    expect(task.state, log).toBe("failed");
    expect(task.last_error).toContain("the home page answers HTTP 500");
    expect(log).toContain("backing up the hosted site before updating");

    // the backup is the plan's: two runs, two artifacts, in the backups lists
    const artifacts = ours(
      (await api("GET", `/api/v1/backup-artifacts?plan=${planId}`)).body.items as {
        id: string;
        name: string;
        sourceId: string;
        createdAt: string;
      }[],
    );
    expect(artifacts).toHaveLength(2);
    expect(artifacts.map((a) => a.name).sort()).toEqual([
      expect.stringMatching(/^blog-bkr_.*\.dump\.zst\.enc$/),
      expect.stringMatching(/\.tar\.zst\.enc$/),
    ]);
    const runs = ours(
      (await api("GET", `/api/v1/backup-runs?plan=${planId}`)).body.items as {
        status: string;
        createdAt: string;
      }[],
    );
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);

    // restored: the old plugin, no row of the new one, the home page answering
    expect(await wp.pluginVersion(HELLO)).toBe("1.0.0");
    expect(await wp.php("var_export(get_option('hello_steward_marker'));")).toBe("false");
    expect((await fetch(wp.url)).status).toBe(200);
    const history = (await api("GET", `/api/v1/cms-sites/${cmsId}/history`)).body.items as {
      outcome: string;
      message: string;
    }[];
    expect(history[0]?.outcome, history[0]?.message).toBe("rolled_back");
    for (const a of artifacts) expect(history[0]?.message).toContain(a.name);
    expect(task.last_error).toContain("rolled back: restored backup");
  });
});
