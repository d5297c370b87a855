// The site tools on a real WordPress (testkit: Debian's WordPress, php-fpm, nginx, MariaDB) through
// the Steward connector installed from the panel's zip: the file change scanner finds a planted
// modified plugin file and a new web shell with their threat scores; the connector's login
// lockout blocks an address after five failed logins on wp-login.php and the panel's unblock
// lets it in again; a temporary administrator logs in on wp-login.php and is deleted by the
// panel's task at its expiry; the firewall and Akeeba Backup tools are a 409 saying why.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startWordPress, type WordPressSite } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settleTask } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { installConnector } from "../../testing/wordpress-connector.ts";

const wp = await startWordPress();
afterAll(async () => {
  await wp?.stop();
});

/** A login on wp-login.php as a browser makes it: true when WordPress signs the user in. */
async function login(site: WordPressSite, user: string, password: string) {
  const answer = await fetch(`${site.url}/wp-login.php`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: "wordpress_test_cookie=WP%20Cookie%20check",
    },
    body: new URLSearchParams({ log: user, pwd: password, "wp-submit": "Log In", testcookie: "1" }),
  });
  const cookies = answer.headers.getSetCookie().join("\n");
  await answer.arrayBuffer();
  return answer.status === 302 && cookies.includes("wordpress_logged_in_");
}

describe.skipIf(!wp)("site tools on a real WordPress", () => {
  const site = wp as WordPressSite;
  const s = useServer("sqlite", { env: { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } });
  const w = useWorld(s);
  let id = "";
  const tool = (method: string, path: string, key: string, body?: unknown) =>
    s.request(method, `/api/v1/cms-sites/${id}${path}`, { key, ...(body ? { body } : {}) });

  beforeAll(async () => {
    s.svc.engine.startWorker();
    await installConnector(s, w.keys.reader, site);
    const made = await s.request("POST", "/api/v1/cms-sites", {
      key: w.keys.accountAdmin,
      body: {
        account: w.a,
        name: "blog",
        url: site.url,
        username: site.admin.user,
        applicationPassword: site.admin.applicationPassword,
      },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.diagnosis.problems).toEqual([]);
    id = made.body.id;
  }, 120_000);

  const scan = async () => {
    const started = await tool("POST", "/scan", w.keys.operator);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const task = await settleTask(s, started.body.taskId, 120_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    const scans = await tool("GET", "/scans", w.keys.reader);
    expect(scans.status).toBe(200);
    return scans.body.items[0];
  };

  it("scans: the first scan is the baseline, the next finds a modified file and a new one", async () => {
    const first = await scan();
    expect(first).toMatchObject({ status: "complete", filesNew: 0, filesModified: 0 });
    expect(first.totalFiles).toBeGreaterThan(500);
    expect((await tool("GET", `/scans/${first.id}`, w.keys.reader)).body.items).toEqual([]);

    const plugin = join(site.root, "wp-content/plugins/hello-steward/hello-steward.php");
    appendFileSync(plugin, "\neval(base64_decode('ZWNobyAnaGknOw=='));\n");
    const uploads = join(site.root, "wp-content/uploads/2026");
    mkdirSync(uploads, { recursive: true });
    writeFileSync(join(uploads, "cache.php"), "<?php\n@eval($_POST['c']);\n", { mode: 0o644 });
    writeFileSync(join(uploads, "notes.php"), "<?php\necho 'plain';\n", { mode: 0o644 });

    const second = await scan();
    expect(second).toMatchObject({ id: first.id + 1, filesNew: 2, filesModified: 1 });
    expect(second.totalFiles).toBe(first.totalFiles + 2);
    const found = (await tool("GET", `/scans/${second.id}`, w.keys.reader)).body.items as {
      id: number;
      path: string;
      status: string;
      threatScore: number;
    }[];
    const byPath = Object.fromEntries(found.map((a) => [a.path, a]));
    expect(Object.keys(byPath).sort()).toEqual([
      "wp-content/plugins/hello-steward/hello-steward.php",
      "wp-content/uploads/2026/cache.php",
      "wp-content/uploads/2026/notes.php",
    ]);
    const modified = byPath["wp-content/plugins/hello-steward/hello-steward.php"];
    expect(modified).toMatchObject({ status: "modified", scanId: second.id });
    expect(modified?.threatScore).toBeGreaterThanOrEqual(60);
    const shell = byPath["wp-content/uploads/2026/cache.php"];
    expect(shell).toMatchObject({ status: "new" });
    expect(shell?.threatScore).toBeGreaterThanOrEqual(80);
    expect(byPath["wp-content/uploads/2026/notes.php"]).toMatchObject({
      status: "new",
      threatScore: 0,
    });

    const detail = await tool("GET", `/scan-alerts/${modified?.id}`, w.keys.reader);
    expect(detail.status).toBe(200);
    expect(detail.body.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          signature: "eval of decoded code",
          text: "eval(base64_decode('ZWNobyAnaGknOw=='));",
        }),
      ]),
    );
    const missing = await tool("GET", `/scan-alerts/${second.id * 100000 + 99}`, w.keys.reader);
    expect(missing.status).toBe(409);
    // a third scan has the second as its baseline: nothing changed since
    expect(await scan()).toMatchObject({ filesNew: 0, filesModified: 0 });
  }, 300_000);

  it("blocks an address after five failed logins; the panel's unblock lets it in again", async () => {
    expect(await login(site, site.admin.user, site.admin.password)).toBe(true);
    for (let i = 0; i < 5; i++) expect(await login(site, site.admin.user, "wrong")).toBe(false);
    expect(await login(site, site.admin.user, site.admin.password)).toBe(false);
    // the panel's own requests (an application password) are not blocked
    expect((await tool("POST", "/diagnose", w.keys.operator)).body.ok).toBe(true);

    const unblocked = await tool("POST", "/unblock", w.keys.operator, { ip: "127.0.0.1" });
    expect(unblocked.status, JSON.stringify(unblocked.body)).toBeLessThan(300);
    expect(await login(site, site.admin.user, site.admin.password)).toBe(true);
    const reader = await tool("POST", "/unblock", w.keys.reader, { ip: "127.0.0.1" });
    expect(reader.status).toBe(403);
  }, 120_000);

  it("makes a temporary administrator who can log in, removed by a task at its expiry", async () => {
    const expiresAt = new Date(Date.now() + 10_000).toISOString();
    const made = await tool("POST", "/temporary-admin", w.keys.accountAdmin, { expiresAt });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { username, password } = made.body;
    expect(username).toMatch(/^steward-tmp-[a-f0-9]{8}$/);
    expect(password).toHaveLength(24);
    expect(await login(site, username, password)).toBe(true);
    const isAdmin = `$u = get_user_by('login', '${username}'); echo $u && user_can($u, 'manage_options') ? 'admin' : 'gone';`;
    expect(await site.php(isAdmin)).toBe("admin");
    const operator = await tool("POST", "/temporary-admin", w.keys.operator, { expiresAt });
    expect(operator.status).toBe(403);

    const tasks = await s.request(
      "GET",
      `/api/v1/tasks?account=${w.a}&kind=cms.temporary-admin-expiry`,
      { key: w.keys.accountAdmin },
    );
    expect(tasks.body.items).toHaveLength(1);
    expect(JSON.stringify(tasks.body)).not.toContain(password);
    const task = await settleTask(s, tasks.body.items[0].id, 90_000);
    expect(task.state, task.last_error ?? "").toBe("succeeded");
    expect(await site.php(isAdmin)).toBe("gone");
    expect(await login(site, username, password)).toBe(false);
  }, 120_000);

  it("answers 409 with the reason for the tools WordPress does not have", async () => {
    const firewall = await tool("POST", "/firewall", w.keys.accountAdmin, { enabled: false });
    expect(firewall.status).toBe(409);
    expect(firewall.body.error.message).toContain("no firewall");
    const backups = await tool("GET", "/backups", w.keys.reader);
    expect(backups.status).toBe(409);
    expect(backups.body.error.message).toContain("Akeeba Backup is a Joomla tool");
  });
});
