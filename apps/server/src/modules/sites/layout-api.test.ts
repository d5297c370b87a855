// The account layout through the panel on real components: an enrolled agent with a hermetic
// nginx and PHP-FPM, real users made by sysusers.apply. A PHP site made before its account had
// a system user keeps its own layout; once the account's main user is applied, a new site is
// made in the account's layout (PHP as <main>-cgi) and the old one moves there by
// POST /migrate-layout, still answering the same. The PHP version is one the node reports.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NginxServer, startNginx, startPhpFpm } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode, settleTask, taskLogText } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const nginx = await startNginx({ listen: "127.0.0.2" });
const php = nginx ? await startPhpFpm() : null;
const homeRoot = mkdtempSync(join(tmpdir(), "stw-layout-api-"));
chmodSync(homeRoot, 0o755);
const MAIN = `stwtest-l${randomBytes(3).toString("hex")}`;

afterAll(async () => {
  await nginx?.stop();
  await php?.stop();
  for (const name of [`${MAIN}-cgi`, MAIN])
    try {
      execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
    } catch {} // not made
  rmSync(homeRoot, { recursive: true, force: true });
});

describe.skipIf(!php)("sites in the account layout through the panel", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode | null = null;
  const api = (method: string, url: string, body?: unknown, key = w.keys.accountAdmin) =>
    s.request(method, url, { key, ...(body === undefined ? {} : { body }) });
  const settled = async (taskId: string) => {
    const task = await settleTask(s, taskId, 60_000);
    expect(task.state, await taskLogText(s, taskId)).toBe("succeeded");
  };
  const createPhp = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await api("POST", "/api/v1/sites", {
      node: node?.id,
      account: w.a,
      kind: "php",
      domains: [`${name}.test`],
      https: false,
      monitor: false,
      ...extra,
    });
    return r;
  };
  let oldId = "";
  let mainId = "";

  beforeAll(async () => {
    s.svc.engine.startWorker();
    node = await enrollRealNode(s, w.keys.super, {
      name: "layout-node",
      nginx: nginx as NginxServer,
      agentJson: {
        phpFpm: {
          bin: php?.bin,
          confFile: php?.conf,
          prefix: php?.dir,
          poolDir: php?.poolDir,
          socketDir: php?.socketDir,
          pidFile: php?.pidFile,
        },
        hosting: {
          homeRoot: join(homeRoot, "home"),
          keysDir: join(homeRoot, "keys"),
          webUser: (nginx as NginxServer).user.name,
          sshd: { configFile: join(homeRoot, "no-sshd_config") },
          ftp: { purePw: join(homeRoot, "no-pure-pw") },
        },
      },
    });
    const facts = await api(
      "POST",
      `/api/v1/nodes/${node.id}/facts/refresh`,
      undefined,
      w.keys.super,
    );
    expect(facts.status).toBe(202);
    await settled(facts.body.taskId);
    // a PHP site made before the account has a system user on the node: its own layout
    const old = await createPhp("old-shop");
    expect(old.status, JSON.stringify(old.body)).toBe(201);
    oldId = old.body.id;
    await settled(old.body.taskId);
  }, 120_000);

  afterAll(async () => {
    await node?.close();
  });

  it("keeps a site's own layout until the account has a main user on the node", async () => {
    const got = await api("GET", `/api/v1/sites/${oldId}`);
    expect(got.body).toMatchObject({ layout: "site", moving: false, phpVersion: null });
    expect(got.body.phpUser).toBe(got.body.systemUser);
    const home = join(node?.web ?? "", "sites", oldId);
    const uid = Number(execFileSync("id", ["-u", got.body.systemUser]).toString());
    writeFileSync(join(home, "public", "index.php"), "<?php echo 'old shop';");
    chownSync(join(home, "public", "index.php"), uid, uid);
    expect((await nginx?.request("old-shop.test", "/"))?.body).toBe("old shop");
    const refused = await api("POST", `/api/v1/sites/${oldId}/migrate-layout`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("no main system user");
  });

  it("makes new sites in the account layout and moves the old one there, same answers", async () => {
    const main = await api("POST", "/api/v1/system-users", {
      kind: "main",
      account: w.a,
      node: node?.id,
      name: MAIN,
      shell: "none",
    });
    expect(main.status, JSON.stringify(main.body)).toBe(201);
    mainId = main.body.id;
    await settled(main.body.taskId);

    const fresh = await createPhp("new-shop");
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(201);
    expect(fresh.body).toMatchObject({
      layout: "account",
      moving: false,
      filesUser: MAIN,
      phpUser: `${MAIN}-cgi`,
    });
    await settled(fresh.body.taskId);
    expect(existsSync(join(homeRoot, "home", MAIN, "home", "web", fresh.body.id, "public"))).toBe(
      true,
    );

    const moved = await api("POST", `/api/v1/sites/${oldId}/migrate-layout`);
    expect(moved.status, JSON.stringify(moved.body)).toBe(202);
    expect(moved.body).toMatchObject({ layout: "account", moving: true });
    expect(moved.body.phpUser).toBe(moved.body.systemUser); // not moved yet
    await settled(moved.body.taskId);
    const log = await taskLogText(s, moved.body.taskId);
    expect(log).toContain("moving into its account's layout");
    const after = await api("GET", `/api/v1/sites/${oldId}`, undefined, w.keys.reader);
    expect(after.body).toMatchObject({
      layout: "account",
      moving: false,
      phpUser: `${MAIN}-cgi`,
      status: "active",
    });
    expect((await nginx?.request("old-shop.test", "/"))?.body).toBe("old shop");
    expect(existsSync(join(node?.web ?? "", "sites", oldId))).toBe(false);
    const again = await api("POST", `/api/v1/sites/${oldId}/migrate-layout`);
    expect(again.status).toBe(409);
    expect(again.body.error.details?.[0]?.field ?? again.body.error.field).toBe("layout");
    // another account's admin does not see the site at all
    const other = await api(
      "POST",
      `/api/v1/sites/${oldId}/migrate-layout`,
      undefined,
      w.keys.otherAdmin,
    );
    expect(other.status).toBe(404);
  });

  it("takes a PHP version the node reports, refuses others naming phpVersion", async () => {
    const missing = await createPhp("v56", { phpVersion: "5.6" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details[0].field).toBe("phpVersion");
    expect(missing.body.error.details[0].message).toContain(
      "PHP 5.6 is not installed on node layout-node",
    );
    for (const bad of ["8", "8.2;", "../8.2", "8.2\n", "x".repeat(200)]) {
      const r = await createPhp("vbad", { phpVersion: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.details[0].field).toMatch(/^(body\.)?phpVersion$/);
    }
    const staticSite = await api("POST", "/api/v1/sites", {
      node: node?.id,
      account: w.a,
      kind: "static",
      domains: ["static-v.test"],
      phpVersion: "8.2",
    });
    expect(staticSite.status).toBe(400);
    expect(staticSite.body.error.details[0].field).toMatch(/^(body\.)?phpVersion$/);
    const versions = (await api("GET", `/api/v1/nodes/${node?.id}`, undefined, w.keys.super)).body
      .facts.php.versions as string[];
    const ok = await createPhp("v-ok", { phpVersion: versions[0] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.phpVersion).toBe(versions[0]);
    await settled(ok.body.taskId);
    const patched = await api("PATCH", `/api/v1/sites/${ok.body.id}`, { phpVersion: "5.6" });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details[0].field).toBe("phpVersion");
  });

  it("deletes a site of the account layout with its files, leaving the account's home", async () => {
    // the main user's home holds the sites: it is not deleted under them
    const keep = await api("DELETE", `/api/v1/system-users/${mainId}?confirm=${MAIN}`);
    expect(keep.status).toBe(409);
    expect(keep.body.error.message).toContain("live in this user's home: delete them first");
    const del = await api("DELETE", `/api/v1/sites/${oldId}?keepFiles=false`);
    expect(del.status).toBe(202);
    await settled(del.body.taskId);
    expect(existsSync(join(homeRoot, "home", MAIN, "home", "web", oldId))).toBe(false);
    expect(existsSync(join(homeRoot, "home", MAIN, "home"))).toBe(true);
  });
});
