import { dialects } from "@steward/testkit";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { insertNode } from "../modules/nodes/repo.ts";
import { findSite } from "../modules/sites/repo.ts";
import { insertTestUser, openEmptyTestDb, openTestDb } from "../testing/test-db.ts";
import { migrateToLatest, migrateUpTo, pendingMigrations } from "./migrate.ts";
import type { Db } from "./open.ts";

/** A site row as sites were written before 011 (names as JSON), on the node node_1. */
function oldSite(
  id: string,
  account: string,
  domains: string[],
  more: { aliases?: string[]; redirect?: "none" | "to-www" } = {},
) {
  const now = Date.now();
  return {
    id,
    account_id: account,
    node_id: "node_1",
    kind: "static" as const,
    primary_domain: domains[0] ?? "",
    domains: JSON.stringify(domains),
    aliases: JSON.stringify(more.aliases ?? []),
    redirect: more.redirect ?? "none",
    root: "public",
    system_user: `s${id}`,
    status: "active" as const,
    created_at: now,
    updated_at: now,
  };
}

describe.each(dialects())("migrations on %s", (dialect) => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("applies every migration once, in order, then nothing is pending", async () => {
    db = await openEmptyTestDb(dialect);
    const all = [
      "001-foundation",
      "002-tasks",
      "003-task-claim",
      "004-nodes",
      "005-sites",
      "006-node-outbound",
      "007-site-keys",
      "008-session-token-hashes",
      "010-site-php-exec",
      "011-site-names",
      "012-node-metrics",
      "013-list-indexes",
      "014-list-orders",
      "015-task-engine-indexes",
      "016-task-version-indexes",
      "017-list-walk-filters",
      "018-site-removal",
      "019-task-running-walk",
      "020-list-walk-scopes",
      "021-events",
      "022-notification-channels",
      "023-monitors",
      "024-certificates",
      "025-notification-rules",
      "026-monitor-rollups",
      "027-status-pages",
      "028-site-monitors",
      "029-dns",
      "030-dns-providers",
      "032-databases",
      "034-database-queries",
      "035-certificate-source",
      "036-dns-dnssec",
      "039-backup-destinations",
      "040-monitor-locations",
      "041-backup-plans",
      "042-certificate-sorts",
      "043-dns-zone-providers",
      "049-dns-secondaries",
      "050-database-engines",
      "051-backup-restore",
      "052-backup-imports",
      "053-backup-plan-activity",
      "054-steward-source",
      "055-apps",
      "056-github-tunnels",
      "057-cms-sites",
      "058-mail",
      "059-system-users",
      "060-node-firewalls",
      "062-compose",
      "063-app-git",
      "064-cms-updates",
      "065-cms-extensions",
      "066-site-protection",
      "067-cron-jobs",
      "069-node-agent-version",
      "070-mail-dkim",
      "071-mailbox-modes-usage",
      "072-mail-spam",
      "073-site-layout",
      "074-cron-scheduled-runs",
      "075-cms-plugin-directory",
      "076-backup-held-keys",
      "077-ftps-certificates",
      "079-system-user-usage",
      "080-system-user-quota",
      "081-mail-virus",
      "082-mail-usage-days",
      "083-cms-visual-check",
      "090-cms-hosted-site",
      "091-site-writable-dirs",
      "093-app-list-filters",
      "094-app-runtime-names",
    ];
    expect(await pendingMigrations(db)).toEqual(all);
    expect(await migrateToLatest(db)).toEqual(all);
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it("creates the builtin super group", async () => {
    db = await openTestDb(dialect);
    const row = await db.db
      .selectFrom("groups")
      .select(["id", "name", "builtin"])
      .where("id", "=", "super")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: "super", name: "super", builtin: 1 });
  });

  it("cascades deletes through foreign keys", async () => {
    db = await openTestDb(dialect);
    await insertTestUser(db, "user_1");
    await db.db
      .insertInto("group_members")
      .values({ group_id: "super", user_id: "user_1", created_at: Date.now() })
      .execute();
    const members = () => db?.db.selectFrom("group_members").selectAll().execute();
    expect(await members()).toHaveLength(1);
    await db.db.deleteFrom("auth_user").where("id", "=", "user_1").execute();
    expect(await members()).toEqual([]);
  });

  /** A database migrated up to `upTo` (not further), with one account in it. */
  async function upToWithAccount(
    upTo: string,
    account: { id: string; slug: string; name: string },
  ) {
    db = await openEmptyTestDb(dialect);
    await migrateUpTo(db, upTo);
    const now = Date.now();
    await db.db
      .insertInto("accounts")
      .values({ ...account, created_at: now, updated_at: now })
      .execute();
    return db;
  }

  it("007 gives sites foreign keys, restoring the accounts orphaned sites lost", async () => {
    const base = await upToWithAccount("005-sites", { id: "acc_kept", slug: "kept", name: "Kept" });
    const k = base.db;
    const now = Date.now();
    await k
      .insertInto("nodes")
      .values({
        id: "node_1",
        name: "n1",
        agent_url: "https://127.0.0.1:7443",
        state: "trusted",
        created_at: now,
        updated_at: now,
      })
      .execute();
    const site = (id: string, account: string) => oldSite(id, account, [`${id}.example`]);
    // what deleting an account used to leave: a site of an account that is gone
    await k
      .insertInto("sites")
      .values([site("s1", "acc_kept"), site("s2", "acc_01gone00000ab")])
      .execute();
    await k
      .insertInto("site_domains")
      .values([
        { domain: "s1.example", site_id: "s1" },
        { domain: "s2.example", site_id: "s2" },
        { domain: "stale.example", site_id: "s_gone" },
      ])
      .execute();
    await migrateUpTo(base, "007-site-keys");
    const restored = await k
      .selectFrom("accounts")
      .select(["id", "slug"])
      .where("id", "=", "acc_01gone00000ab")
      .execute();
    expect(restored).toEqual([{ id: "acc_01gone00000ab", slug: "restored-acc-01gone00000ab" }]);
    expect(
      (await k.selectFrom("site_domains").select("domain").orderBy("domain").execute()).map(
        (r) => r.domain,
      ),
    ).toEqual(["s1.example", "s2.example"]);
    // an account that owns a site cannot be deleted; a site needs a real account and node
    await expect(k.deleteFrom("accounts").where("id", "=", "acc_kept").execute()).rejects.toThrow(
      /foreign key/i,
    );
    await expect(k.insertInto("sites").values(site("s3", "acc_none")).execute()).rejects.toThrow(
      /foreign key/i,
    );
    await expect(
      k.insertInto("site_domains").values({ domain: "x.example", site_id: "nope" }).execute(),
    ).rejects.toThrow(/foreign key/i);
    // a site's names go with it; the indexes survived the rebuild
    await k.deleteFrom("sites").where("id", "=", "s1").execute();
    expect(await k.selectFrom("site_domains").select("domain").execute()).toEqual([
      { domain: "s2.example" },
    ]);
    await k.deleteFrom("accounts").where("id", "=", "acc_kept").execute();
    const indexes =
      dialect === "sqlite"
        ? (
            await sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name in ('sites', 'site_domains')`.execute(
              k,
            )
          ).rows
        : (
            await sql<{
              name: string;
            }>`select indexname as name from pg_indexes where tablename in ('sites', 'site_domains')`.execute(
              k,
            )
          ).rows;
    expect(indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining(["sites_node_idx", "sites_account_idx", "site_domains_site_idx"]),
    );
  });

  it("011 keeps a site's names only in site_domains, with their kind and order", async () => {
    const base = await upToWithAccount("010-site-php-exec", {
      id: "acc_1",
      slug: "one",
      name: "One",
    });
    const k = base.db;
    await insertNode(k, { id: "node_1", name: "n1", agentUrl: "https://127.0.0.1:7443" });
    // the row as sites were written before: names as JSON, and every name in site_domains
    const before = oldSite("s1", "acc_1", ["shop.example", "b.example"], {
      aliases: ["alias.example"],
      redirect: "to-www",
    });
    await k.insertInto("sites").values(before).execute();
    const old = ["shop.example", "b.example", "alias.example", "www.shop.example", "www.b.example"];
    await k
      .insertInto("site_domains")
      .values(old.map((domain) => ({ domain, site_id: "s1" })))
      .execute();
    await migrateToLatest(base);
    const site = await findSite(k, "s1");
    expect([site?.domains, site?.aliases]).toEqual([
      ["shop.example", "b.example"],
      ["alias.example"],
    ]);
    const rows = await k
      .selectFrom("site_domains")
      .select(["domain", "kind", "position"])
      .orderBy("domain")
      .execute();
    expect(rows).toEqual([
      { domain: "alias.example", kind: "alias", position: 0 },
      { domain: "b.example", kind: "domain", position: 1 },
      { domain: "shop.example", kind: "domain", position: 0 },
      { domain: "www.b.example", kind: "www", position: 1 },
      { domain: "www.shop.example", kind: "www", position: 0 },
    ]);
    const columns = Object.keys((await sql`select * from sites`.execute(k)).rows[0] ?? {});
    expect(columns).toContain("primary_domain");
    expect(columns.filter((c) => c === "domains" || c === "aliases")).toEqual([]);
  });

  it("020 takes the account off the system kinds' tasks, and no one else's", async () => {
    const base = await upToWithAccount("018-site-removal", {
      id: "acc_1",
      slug: "one",
      name: "One",
    });
    // as a super user could write them before: a system kind in an account, and a site's task
    for (const [id, kind] of [
      ["t_noop", "noop"],
      ["t_facts", "node.facts"],
      ["t_apply", "site.apply"],
    ])
      await sql`insert into tasks (id, kind, payload, account_id, state, run_at, max_attempts,
        created_at, updated_at) values (${id}, ${kind}, '{}', 'acc_1', 'succeeded', 1, 1, 1, 1)`.execute(
        base.db,
      );
    await migrateToLatest(base);
    const { rows } = await sql<{ id: string; account_id: string | null }>`
      select id, account_id from tasks order by id`.execute(base.db);
    expect(rows).toEqual([
      { id: "t_apply", account_id: "acc_1" },
      { id: "t_facts", account_id: null },
      { id: "t_noop", account_id: null },
    ]);
  });

  it("093 says what older apps run: a git source's, a stack's spec, else an image", async () => {
    const base = await upToWithAccount("090-cms-hosted-site", {
      id: "acc_1",
      slug: "one",
      name: "One",
    });
    const specs: [string, object][] = [
      // a volume named "compose" is still a quick service's
      ["app_image", { image: "busybox", env: {}, volumes: [{ source: "compose", target: "/c" }] }],
      ["app_stack", { source: "compose", compose: "services: {}", env: {}, services: [] }],
      ["app_git", { image: "steward-app-git", env: {}, volumes: [] }],
      ["app_git_stack", { source: "compose", compose: "", repoFile: "compose.yml", env: {} }],
    ];
    for (const [id, spec] of specs)
      await sql`insert into apps (id, account_id, node_id, name, image, spec, status, created_at,
        updated_at) values (${id}, 'acc_1', 'node_1', ${id.replaceAll("_", "-")}, 'x',
        ${JSON.stringify(spec)}, 'running', 1, 1)`.execute(base.db);
    for (const id of ["app_git", "app_git_stack"])
      await sql`insert into app_git_sources (app_id, url, ref, dockerfile, webhook_secret_sealed,
        updated_at) values (${id}, 'https://git.example.test/a.git', 'main', 'Dockerfile', 's',
        1)`.execute(base.db);
    await migrateToLatest(base);
    const { rows } = await sql<{ id: string; source: string }>`
      select id, source from apps order by id`.execute(base.db);
    expect(rows).toEqual([
      { id: "app_git", source: "git" },
      { id: "app_git_stack", source: "git" },
      { id: "app_image", source: "image" },
      { id: "app_stack", source: "compose" },
    ]);
  });

  it("094 keeps older apps' names as their runtime names; a name is then unique per account on a node", async () => {
    const base = await upToWithAccount("093-app-list-filters", {
      id: "acc_1",
      slug: "one",
      name: "One",
    });
    const now = Date.now();
    await base.db
      .insertInto("accounts")
      .values({ id: "acc_2", slug: "two", name: "Two", created_at: now, updated_at: now })
      .execute();
    const add = (id: string, account: string, name: string, runtime?: string) =>
      sql`insert into apps (id, account_id, node_id, name, ${sql.raw(runtime ? "runtime_name, " : "")}image,
        spec, status, created_at, updated_at) values (${id}, ${account}, 'node_1', ${name},
        ${sql.raw(runtime ? `'${runtime}', ` : "")}'x', '{}', 'running', 1, 1)`.execute(base.db);
    await add("app_1", "acc_1", "web");
    await migrateToLatest(base);
    const { rows } = await sql<{ id: string; runtime_name: string }>`
      select id, runtime_name from apps`.execute(base.db);
    expect(rows).toEqual([{ id: "app_1", runtime_name: "web" }]);
    // another account's "web" on the node, under a runtime name of its own
    await add("app_2", "acc_2", "web", "web-000002");
    // the account's second "web" on the node, and a second runtime "web" there, are refused
    await expect(add("app_3", "acc_1", "web", "web-000003")).rejects.toThrow();
    await expect(add("app_4", "acc_2", "web-2", "web")).rejects.toThrow();
  });

  it("015, 016 and 019 keep only the rows each engine index serves, and the claim off hash joins", async () => {
    db = await openTestDb(dialect);
    const partial = [
      "tasks_claim_idx",
      "tasks_concurrency_idx",
      "tasks_parent_idx",
      "tasks_account_idx",
      "tasks_target_idx",
      "tasks_account_state_idx",
      "tasks_target_type_idx",
    ];
    const { rows } =
      dialect === "postgres"
        ? await sql<{ name: string; definition: string }>`
            select indexname as name, indexdef as definition from pg_indexes
            where tablename = 'tasks'`.execute(db.db)
        : await sql<{ name: string; definition: string }>`
            select name, sql as definition from sqlite_master
            where type = 'index' and tbl_name = 'tasks'`.execute(db.db);
    const definitions = new Map(rows.map((r) => [r.name, r.definition]));
    for (const name of partial) expect(definitions.get(name), name).toMatch(/ where /i);
    // 019: running tasks are the 'running' range of tasks_state_idx, not an index of their own
    expect(definitions.has("tasks_lease_idx")).toBe(false);
    expect(definitions.get("tasks_state_idx")).toMatch(/\(\W*state\W*,\W*id\W*\)/i);
    if (dialect !== "postgres") return;
    const fn = await sql<{ config: string[] }>`
      select proconfig as config from pg_proc where proname = 'steward_claim_first'`.execute(db.db);
    expect(fn.rows[0]?.config).toEqual(
      expect.arrayContaining(["enable_sort=off", "enable_hashjoin=off", "enable_mergejoin=off"]),
    );
  });

  it("017 gives each filter beside an account's walk a partial index of the rows it serves", async () => {
    db = await openTestDb(dialect);
    const { rows } =
      dialect === "postgres"
        ? await sql<{ name: string; definition: string }>`
            select indexname as name, indexdef as definition from pg_indexes
            where tablename in ('tasks', 'audit_events')`.execute(db.db)
        : await sql<{ name: string; definition: string }>`
            select name, sql as definition from sqlite_master
            where type = 'index' and tbl_name in ('tasks', 'audit_events')`.execute(db.db);
    const definitions = new Map(rows.map((r) => [r.name, r.definition]));
    // tasks without an account (the system's) enter none of the tasks' new indexes
    for (const name of [
      "tasks_account_kind_idx",
      "tasks_account_target_type_idx",
      "tasks_account_enabled_idx",
    ])
      expect(definitions.get(name), name).toMatch(/\swhere .*account_id is not null/i);
    for (const walk of ["account", "actor"])
      for (const filter of ["outcome", "action", "target_type"])
        expect(definitions.get(`audit_events_${walk}_${filter}_idx`)).toMatch(
          new RegExp(`\\(${walk}_id, ${filter}, id\\)\\s+where`, "i"),
        );
    // failed schedules: only those waiting for (or in) their next run
    expect(definitions.get("tasks_recurring_failed_idx")).toMatch(/state .*queued.*running/i);
  });

  it("refuses a group member whose user does not exist", async () => {
    db = await openTestDb(dialect);
    const insert = db.db
      .insertInto("group_members")
      .values({ group_id: "super", user_id: "nobody", created_at: Date.now() })
      .execute();
    await expect(insert).rejects.toThrow(/foreign key/i);
  });
});

describe("SQLite connection", () => {
  it("is in WAL mode with foreign keys on", async () => {
    const db = await openTestDb("sqlite");
    try {
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db.db);
      expect(journal.rows[0]?.journal_mode).toBe("wal");
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db.db);
      expect(Number(fk.rows[0]?.foreign_keys)).toBe(1);
    } finally {
      await db.close();
    }
  });
});
