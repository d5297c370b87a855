// `steward state export|plan|apply` against real panels (`steward serve`), through their API:
// resources made on one panel, exported, applied to a fresh panel and exported again are the
// same bytes; a plan shows exactly the fields a file changes; a hostile file is refused naming
// file and field and changes nothing; an account admin's export holds only its accounts.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDirs, warmUp } from "./testing/cli.ts";
import { killRunning } from "./testing/local-agent.ts";
import { expectedFiles } from "./testing/state-expected.ts";
import { hostingFiles, hostingSecrets, STACK } from "./testing/state-hosting.ts";
import {
  populate,
  removeTempDirs,
  type StatePanel,
  started,
  statePanel,
  TELEGRAM_TOKEN,
  tempDir,
  tree,
} from "./testing/state-panel.ts";
import { applyRefusals, panelRefusals } from "./testing/state-panel-refusals.ts";

let a: StatePanel;
let b: StatePanel;

afterAll(() => {
  for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
  killRunning();
  removeTempDirs();
  removeDataDirs();
});

/** `steward state …` against panel p with key (the super user's by default). */
const state = (p: StatePanel, args: string[], key = p.key) =>
  p.c.run(["state", ...args], { env: { STEWARD_PANEL_URL: p.url, STEWARD_API_KEY: key } });

beforeAll(async () => {
  // the CLI's compile cache fills while the panels start
  [a, b] = await Promise.all([statePanel(), statePanel(), warmUp()]);
  await populate(a);
}, 120_000);

// each of the first three runs the CLI tens of times: minutes on a loaded machine
describe("steward state", () => {
  it("exports a panel, applies it to a fresh one and exports the same bytes", async () => {
    const first = tempDir();
    const exported = await state(a, ["export", first]);
    expect(exported.code, exported.stderr).toBe(0);
    const files = tree(first);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        "account/blog.yaml",
        "account/shop.yaml",
        "grant/group-ops--account-shop.yaml",
        "grant/user-admin@example.com--account-shop.yaml",
        "group/ops.yaml",
        "node/web-1.yaml",
        "site/blog.example.yaml",
        "site/shop.example.yaml",
        "zone/shop.example.yaml",
        "mail-domain/shop.example.yaml",
        "mailbox/info@shop.example.yaml",
        "mail-alias/sales@shop.example.yaml",
        "mail-alias/shop.example.yaml",
        "database-server/main-mariadb.yaml",
        "database-server/node-postgres.yaml",
        // the sites' own monitors, and one made by hand
        "monitor/blog--blog-example.yaml",
        "monitor/shop--shop-example.yaml",
        "monitor/shop--shop-db-port.yaml",
        "status-page/shop-status.yaml",
        "channel/ops-mail.yaml",
        "channel/shop--shop-alerts.yaml",
        "notification-rule/shop--db-port-down.yaml",
        "notification-rule/web-node.yaml",
        "backup-destination/web-dumps.yaml",
        "backup-destination/shop--offsite.yaml",
      ]),
    );
    for (const [file, text] of Object.entries({ ...expectedFiles, ...hostingFiles }))
      expect(files[file], file).toBe(text);
    // what the panel makes with a resource is that resource's file: an app's site and its
    // monitor, a cron job's heartbeat monitor
    expect(Object.keys(files).filter((f) => /whoami|cron-job/.test(f))).toEqual([
      "app/web-1--whoami.yaml",
    ]);
    // an installation channel without an account
    expect(files["channel/ops-mail.yaml"]).toMatch(/^account: null\n/);
    expect(files["channel/ops-mail.yaml"]).not.toContain("password");
    // no ids, timestamps, statuses
    expect(Object.values(files).join("\n")).not.toMatch(
      /_[0-9A-Z]{10}|createdAt|\bstatus:|[0-9]{4}-[0-9]{2}-[0-9]{2}T/,
    );

    const before = await state(b, ["plan", first]);
    expect(before.code, before.stderr).toBe(2);
    expect(before.stdout).toContain("+ create site/shop.example.yaml");
    // apply does not invent a password: without the secret, nothing is made
    const noSecret = await state(b, ["apply", first]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stdout).toBe("");
    expect(noSecret.stderr).toBe(
      "steward: mailbox/info@shop.example.yaml: password: secret mailbox/info@shop.example is not given (--secrets FILE): apply does not invent secrets\n",
    );
    expect((await state(b, ["plan", first])).stdout).toBe(before.stdout);
    const secrets = join(tempDir(), "secrets.yaml");
    writeFileSync(
      secrets,
      [
        '"mailbox/info@shop.example": a mailbox password',
        "database-server/main-mariadb/admin-password: an admin password",
        `channel/shop--shop-alerts/botToken: "${TELEGRAM_TOKEN}"`,
        "backup-destination/shop--offsite/password: an sftp password",
        ...hostingSecrets,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const applied = await state(b, ["apply", first, "--secrets", secrets]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("created zone/shop.example.yaml");
    const second = tempDir();
    const exportedB = await state(b, ["export", second]);
    expect(exportedB.code, exportedB.stderr).toBe(0);
    expect(tree(second)).toEqual(files);
    const after = await state(b, ["plan", first]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    expect(after.stdout).toBe("no changes: the panel matches the directory\n");
  }, 180_000);

  it("plans exactly the fields a file changes, and applies them", async () => {
    const dir = tempDir();
    expect((await state(a, ["export", dir])).code).toBe(0);
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text).toContain(from);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    edit("site/shop.example.yaml", "old-shop.example", "new-shop.example");
    edit("site/shop.example.yaml", "redirect: to-www", "redirect: none");
    edit("group/ops.yaml", "description: Operators", "description: Ops team");
    edit("channel/shop--shop-alerts.yaml", '"-100123"', '"-100456"');
    edit(
      "notification-rule/shop--db-port-down.yaml",
      "minSeverity: warning",
      "minSeverity: critical",
    );
    edit("system-user/web-1--deploy.yaml", "shell: restricted", "shell: sftp");
    // a compose stack's file changes in place (deployed again)
    edit("app/web-1--stack.yaml", "image: nginx:1.27", "image: nginx:1.28");
    // a job of the same command takes the new schedule in place (the same job, its history kept)
    edit("crontab/web-1--shop.yaml", 'schedule: "*/15 * * * *"', 'schedule: "*/10 * * * *"');
    const jobs = () =>
      a.api<{ items: { id: string; schedule: string; command: string }[] }>(
        "GET",
        "/api/v1/cron-jobs",
      );
    const artisan = (await jobs()).items.find((j) => j.command === "php artisan schedule:run");
    edit(
      "zone/shop.example.yaml",
      "records:\n",
      "records:\n  - { name: api, type: A, value: 192.0.2.11 }\n",
    );
    // the same record in other words (relative to the zone): no change
    edit("zone/shop.example.yaml", "value: 10 mail.shop.example.", "value: 10 mail");
    const plan = await state(a, ["plan", dir]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toBe(
      [
        "~ update group/ops.yaml",
        '    description: "Operators" -> "Ops team"',
        "~ update zone/shop.example.yaml",
        '    records: + {"name":"api","type":"A","ttl":3600,"value":"192.0.2.11"}',
        "~ update site/shop.example.yaml",
        '    aliases: - "old-shop.example"',
        '    aliases: + "new-shop.example"',
        '    redirect: "to-www" -> "none"',
        "~ update channel/shop--shop-alerts.yaml",
        '    settings.chatId: "-100123" -> "-100456"',
        "~ update notification-rule/shop--db-port-down.yaml",
        '    settings.minSeverity: "warning" -> "critical"',
        "~ update system-user/web-1--deploy.yaml",
        '    shell: "restricted" -> "sftp"',
        "~ update crontab/web-1--shop.yaml",
        '    jobs: - {"schedule":"*/15 * * * *","command":"php artisan schedule:run","env":{"PATH":"/usr/local/bin:/usr/bin:/bin","MAILTO":"ops@example.com"},"enabled":true,"heartbeat":false}',
        '    jobs: + {"schedule":"*/10 * * * *","command":"php artisan schedule:run","env":{"PATH":"/usr/local/bin:/usr/bin:/bin","MAILTO":"ops@example.com"},"enabled":true,"heartbeat":false}',
        "~ update app/web-1--stack.yaml",
        `    compose: ${JSON.stringify(STACK)} -> ${JSON.stringify(STACK.replace("1.27", "1.28"))}`,
        "0 to create, 8 to update, 0 to delete",
        "",
      ].join("\n"),
    );
    const applied = await state(a, ["apply", dir]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe(
      "updated group/ops.yaml\nupdated zone/shop.example.yaml\nupdated site/shop.example.yaml\nupdated channel/shop--shop-alerts.yaml\nupdated notification-rule/shop--db-port-down.yaml\nupdated system-user/web-1--deploy.yaml\nupdated crontab/web-1--shop.yaml\nupdated app/web-1--stack.yaml\n",
    );
    expect((await jobs()).items.find((j) => j.id === artisan?.id)?.schedule).toBe("*/10 * * * *");
    expect((await jobs()).items).toHaveLength(3);
    const again = tempDir();
    expect((await state(a, ["export", again])).code).toBe(0);
    expect(readFileSync(join(again, "site/shop.example.yaml"), "utf8")).toContain(
      "new-shop.example",
    );
    expect((await state(a, ["plan", again])).code).toBe(0);

    // a file removed: deleted only with --prune
    for (const file of [
      "site/blog.example.yaml",
      "system-user/web-1--deploy.yaml",
      "crontab/web-1--deploy.yaml",
    ])
      rmSync(join(again, file));
    const kept = await state(a, ["plan", again]);
    expect(kept.code, kept.stdout).toBe(0);
    const pruned = await state(a, ["--json", "plan", "--prune", again]);
    expect(pruned.code).toBe(2);
    // in the reverse order of making: a user's crontab before the user
    expect(JSON.parse(pruned.stdout)).toEqual({
      changes: [
        { file: "crontab/web-1--deploy.yaml", action: "delete", fields: [] },
        { file: "system-user/web-1--deploy.yaml", action: "delete", fields: [] },
        { file: "site/blog.example.yaml", action: "delete", fields: [] },
      ],
    });
  }, 180_000);

  it("refuses a hostile file naming file and field, and changes nothing", async () => {
    const clean = tempDir();
    expect((await state(a, ["export", clean])).code).toBe(0);
    // what the panel must judge (references, fixed fields); files alone: state/files.test.ts
    for (const [file, text, refusal] of panelRefusals) {
      const dir = tempDir();
      cpSync(clean, dir, { recursive: true });
      // a change that alone would apply, beside the hostile file
      writeFileSync(join(dir, "account/extra.yaml"), "slug: extra\nname: Extra\n");
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), text);
      // plan reads the directory as apply does: apply for each, plan for the first
      for (const verb of file === panelRefusals[0]?.[0] ? ["plan", "apply"] : ["apply"]) {
        const r = await state(a, [verb, dir]);
        expect(r.code, `${verb} ${file}: ${r.stdout}${r.stderr}`).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain(`steward: ${refusal}`);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
      }
    }
    // a move of a site to another account is refused, not half done
    const dir = tempDir();
    cpSync(clean, dir, { recursive: true });
    writeFileSync(join(dir, "account/extra.yaml"), "slug: extra\nname: Extra\n");
    const site = join(dir, "site/shop.example.yaml");
    writeFileSync(site, readFileSync(site, "utf8").replace("account: shop", "account: blog"));
    const moved = await state(a, ["apply", dir]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(
      /^steward: site\/shop\.example\.yaml: account: cannot change in place/,
    );
    const after = tempDir();
    expect((await state(a, ["export", after])).code).toBe(0);
    expect(tree(after)).toEqual(tree(clean));

    // the panel refuses a change: apply stops there, naming the file; what came before stays
    const taken = tempDir();
    cpSync(clean, taken, { recursive: true });
    writeFileSync(join(taken, "account/extra.yaml"), "slug: extra\nname: Extra\n");
    const alias = "account: blog\nnode: web-1\nkind: static\ndomains: [new-shop.example]\n";
    writeFileSync(join(taken, "site/new-shop.example.yaml"), alias);
    const stopped = await state(a, ["apply", taken]);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toBe("created account/extra.yaml\n");
    expect(stopped.stderr).toMatch(
      /^steward: site\/new-shop\.example\.yaml: \S+: create refused: .*new-shop\.example/,
    );

    // what only the panel judges, at apply: the first change refused, naming file and field
    for (const [file, text, refusal] of applyRefusals) {
      const dir = tempDir();
      cpSync(clean, dir, { recursive: true });
      writeFileSync(join(dir, file), text);
      const r = await state(a, ["apply", dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(refusal);
    }

    // two monitors whose names give one file name: export refuses rather than drop one
    const shop = (
      await a.api<{ items: { id: string; slug: string }[] }>("GET", "/api/v1/accounts")
    ).items.find((x) => x.slug === "shop");
    const twin = await a.api("POST", "/api/v1/monitors", {
      ...{ name: "shop db port!", account: shop?.id },
      settings: { kind: "tcp", host: "db.shop.invalid", port: 5433 },
    });
    const clash = await state(a, ["export", tempDir()]);
    await a.api("DELETE", `/api/v1/monitors/${twin.id}`);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe(
      'steward: monitor/shop--shop-db-port.yaml: name: "Shop DB port" and "shop db port!" would share this file: rename one\n',
    );

    // a rule for one site (a target files cannot name yet): export refuses rather than drop it
    const channels = await a.api<{ items: { id: string; name: string }[] }>(
      "GET",
      "/api/v1/notification-channels",
    );
    const opsMail = channels.items.find((c) => c.name === "Ops mail");
    const rule = await a.api("POST", "/api/v1/notification-rules", {
      ...{ name: "One site", channels: [opsMail?.id] },
      settings: { eventTypes: ["site."], scope: { targetType: "site", targetId: shop?.id } },
    });
    const scoped = await state(a, ["export", tempDir()]);
    await a.api("DELETE", `/api/v1/notification-rules/${rule.id}`);
    expect(scoped.code).toBe(1);
    expect(scoped.stderr).toBe(
      "steward: notification-rule/one-site.yaml: settings.scope.targetId: a rule for one site cannot be a file yet (only one monitor or node)\n",
    );
  }, 180_000);

  it("exports only the accounts an account admin has", async () => {
    const dir = tempDir();
    const r = await state(a, ["export", dir], a.adminKey);
    expect(r.code, r.stderr).toBe(0);
    const files = tree(dir);
    expect(Object.keys(files).filter((f) => /^(account|site|zone)\//.test(f))).toEqual([
      "account/shop.yaml",
      "site/shop.example.yaml",
      "zone/shop.example.yaml",
    ]);
    expect(JSON.stringify(files)).not.toContain("blog");
  });

  it("refuses a missing key or a bad panel URL, naming them", async () => {
    const dir = tempDir();
    const noKey = await a.c.run(["state", "--panel", a.url, "export", dir]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("steward: STEWARD_API_KEY:");
    const bad = await a.c.run(["state", "--panel", "file:///etc/passwd", "plan", dir], {
      env: { STEWARD_API_KEY: a.key },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("steward: --panel: must be an http(s) URL");
    const wrongKey = await state(a, ["plan", dir], "not-a-key");
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^steward: the panel refused: /);
    expect(readdirSync(dir)).toEqual([]);
  });
});
