// `steward state` for databases, database users, backup sources and backup plans, against two
// real panels (`steward serve`) and a real MariaDB and PostgreSQL both panels reach as external
// servers: what panel A holds is exported, deleted from A with --prune (dropped on the real
// servers), applied to a fresh panel B (made again on the real servers, the users with the
// passwords of the secrets file, which log in) and exported again as the same bytes; a plan
// shows exactly the grants and plan fields a file changes; a file naming a missing server or
// source is refused naming file and field, and nothing changes.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeDataDirs, warmUp } from "./testing/cli.ts";
import { killRunning } from "./testing/local-agent.ts";
import {
  type DatabaseServers,
  databaseSecrets,
  populateDatabases,
  READER_PASSWORD,
  startDatabaseServers,
  USER_PASSWORD,
} from "./testing/state-databases.ts";
import { expectedDatabaseFiles } from "./testing/state-expected-databases.ts";
import {
  removeTempDirs,
  type StatePanel,
  started,
  statePanel,
  tempDir,
  tree,
} from "./testing/state-panel.ts";

let a: StatePanel;
let b: StatePanel;
let servers: DatabaseServers;

afterAll(async () => {
  for (const c of started) if (c.exitCode === null) c.kill("SIGKILL");
  killRunning();
  removeTempDirs();
  removeDataDirs();
  await Promise.all([servers?.mariadb.stop(), servers?.postgres.stop()]);
});

const state = (p: StatePanel, args: string[], key = p.key) =>
  p.c.run(["state", ...args], { env: { STEWARD_PANEL_URL: p.url, STEWARD_API_KEY: key } });

const onMariadb = async () =>
  await servers.mariadb.sql("SHOW DATABASES; SELECT user FROM mysql.user");

beforeAll(async () => {
  const allow = { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" };
  [a, b, servers] = await Promise.all([
    statePanel(allow),
    statePanel(allow),
    startDatabaseServers(),
    warmUp(),
  ]);
  await populateDatabases(a, servers);
}, 180_000);

const OURS = ["database", "database-user", "backup-source", "backup-plan"];

describe("steward state: databases and backups", () => {
  it("exports, deletes with --prune, applies to a fresh panel on the real servers, exports the same bytes", async () => {
    const first = tempDir();
    const exported = await state(a, ["export", first]);
    expect(exported.code, exported.stderr).toBe(0);
    const files = tree(first);
    const ours = Object.keys(files).filter((f) => OURS.includes(f.split("/")[0] ?? ""));
    expect(ours).toEqual([
      "backup-plan/shop--nightly.yaml",
      "backup-plan/shop--offsite-copy.yaml",
      "backup-plan/shop--weekly.yaml",
      "backup-source/shop--node-databases.yaml",
      "backup-source/shop--site-files.yaml",
      "database/blog-mariadb--blog_app.yaml",
      "database/shop-mariadb--shop_app.yaml",
      "database/shop-postgres--shop_orders.yaml",
      "database-user/shop-mariadb--shop_user.yaml",
      "database-user/shop-postgres--shop_reader.yaml",
    ]);
    for (const [file, text] of Object.entries(expectedDatabaseFiles))
      expect(files[file], file).toBe(text);
    expect(files["backup-plan/shop--offsite-copy.yaml"]).toMatch(
      /\nencryption:\n {2}mode: recipients\n {2}recipients:\n( {4}- "?[A-Za-z0-9+/]{43}="?\n){2}/,
    );

    // shop's admin exports shop's databases, users, sources and plans, nothing of blog's
    const own = tempDir();
    const adminExport = await state(a, ["export", own], a.adminKey);
    expect(adminExport.code, adminExport.stderr).toBe(0);
    const owned = tree(own);
    for (const file of ours.filter((f) => !f.includes("blog")))
      expect(owned[file], file).toBe(files[file]);
    expect(Object.keys(owned).join("\n") + Object.values(owned).join("\n")).not.toMatch(/blog/i);

    // A without our kinds: --prune deletes them (plans first), dropping them on the servers
    const rest = tempDir();
    cpSync(first, rest, { recursive: true });
    for (const kind of OURS) rmSync(join(rest, kind), { recursive: true });
    const pruned = await state(a, ["apply", rest, "--prune"]);
    expect(pruned.code, pruned.stderr).toBe(0);
    // in reverse dependency order: plans before sources, users before databases
    expect(pruned.stdout.split("\n").map((l) => l.split("/")[0])).toEqual([
      ...["deleted backup-plan", "deleted backup-plan", "deleted backup-plan"],
      ...["deleted backup-source", "deleted backup-source"],
      ...["deleted database-user", "deleted database-user"],
      ...["deleted database", "deleted database", "deleted database", ""],
    ]);
    expect(pruned.stdout).toContain("deleted database/shop-mariadb--shop_app.yaml\n");
    expect(await onMariadb()).not.toMatch(/shop_app|shop_user/);

    // B: nothing without the secrets, then everything, made on the real servers
    const noSecret = await state(b, ["apply", first]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain("apply does not invent secrets");
    const secrets = join(tempDir(), "secrets.yaml");
    writeFileSync(secrets, databaseSecrets, { mode: 0o600 });
    const applied = await state(b, ["apply", first, "--secrets", secrets]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("created database-user/shop-postgres--shop_reader.yaml\n");
    expect(await onMariadb()).toMatch(/shop_app[\s\S]*shop_user/);
    const second = tempDir();
    expect((await state(b, ["export", second])).code).toBe(0);
    expect(tree(second)).toEqual(files);
    const again = await state(b, ["plan", first]);
    expect(again.code, again.stdout + again.stderr).toBe(0);

    // the users log in with the passwords of the secrets file
    const { default: mysql } = await import("mysql2/promise");
    const maria = await mysql.createConnection({
      ...{ host: "127.0.0.1", port: servers.mariadb.port },
      ...{ user: "shop_user", password: USER_PASSWORD, database: "shop_app" },
    });
    const [rows] = await maria.query("SELECT DATABASE() AS db");
    expect(rows).toEqual([{ db: "shop_app" }]);
    await maria.end();
    const { default: pg } = await import("pg");
    const reader = new pg.Client({
      ...{ host: "127.0.0.1", port: servers.postgres.port, user: "shop_reader" },
      ...{ password: READER_PASSWORD, database: "shop_orders" },
    });
    await reader.connect();
    expect((await reader.query("SELECT current_user AS u")).rows).toEqual([{ u: "shop_reader" }]);
    await reader.end();
  });

  it("plans exactly the grants and plan fields a file changes, applies them, refuses a missing name", async () => {
    const dir = tempDir();
    expect((await state(b, ["export", dir])).code).toBe(0);
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(join(dir, file), "utf8");
      expect(text).toContain(from);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    edit("database-user/shop-postgres--shop_reader.yaml", "kind: read-only", "kind: all");
    edit("backup-plan/shop--nightly.yaml", "daily: 7", "daily: 14");
    edit("backup-plan/shop--nightly.yaml", "0 3 * * *", "30 2 * * *");
    edit(
      "backup-plan/shop--nightly.yaml",
      "  - shop--site-files\n",
      "  - shop--node-databases\n  - shop--site-files\n",
    );
    const plan = await state(b, ["plan", dir]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toBe(
      [
        "~ update database-user/shop-postgres--shop_reader.yaml",
        '    grants: - {"database":"shop_orders","level":{"kind":"read-only"}}',
        '    grants: + {"database":"shop_orders","level":{"kind":"all"}}',
        "~ update backup-plan/shop--nightly.yaml",
        "    retention.gfs.daily: 7 -> 14",
        '    schedule: "0 3 * * *" -> "30 2 * * *"',
        '    sources: + "shop--node-databases"',
        "0 to create, 2 to update, 0 to delete",
        "",
      ].join("\n"),
    );
    const applied = await state(b, ["apply", dir]);
    expect(applied.code, applied.stderr).toBe(0);
    const after = tempDir();
    expect((await state(b, ["export", after])).code).toBe(0);
    expect(tree(after)).toEqual(tree(dir));

    // names that are neither on the panel nor in the directory: refused, nothing applied
    const before = tree(after);
    const hostile = (file: string, text: string) => {
      const d = tempDir();
      cpSync(dir, d, { recursive: true });
      writeFileSync(join(d, file), text);
      return d;
    };
    const refusals = [
      [
        hostile(
          "database/nowhere--shop_x.yaml",
          "server: nowhere\nengine: mariadb\nname: shop_x\n",
        ),
        "database/nowhere--shop_x.yaml: server: database-server nowhere does not exist",
      ],
      [
        hostile(
          "backup-plan/shop--ghostly.yaml",
          "name: Ghostly\naccount: shop\nsources: [shop--ghost]\ndestinations: [shop--dumps]\n",
        ),
        "backup-plan/shop--ghostly.yaml: sources.0: backup-source shop--ghost does not exist",
      ],
      // the key that opens a plan's artifacts is its encryption mode's: fixed
      [
        hostile(
          "backup-plan/shop--weekly.yaml",
          readFileSync(join(dir, "backup-plan/shop--weekly.yaml"), "utf8").replace(
            "mode: panel",
            "mode: none",
          ),
        ),
        "backup-plan/shop--weekly.yaml: encryption.mode: cannot change in place",
      ],
      // judged by the panel: a database the panel reaches itself cannot be backed up by a node
      [
        hostile(
          "backup-source/shop--app-database.yaml",
          "name: App database\naccount: shop\nsource: { kind: database, database: shop-mariadb--shop_app }\n",
        ),
        "backup-source/shop--app-database.yaml: source.database: create refused: the panel reaches this server itself",
      ],
    ];
    for (const [d, message] of refusals) {
      const refused = await state(b, ["apply", d as string]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain(`steward: ${message}`);
    }
    const unchanged = tempDir();
    expect((await state(b, ["export", unchanged])).code).toBe(0);
    expect(tree(unchanged)).toEqual(before);
  });
});
