// Every list is an index walk (docs/architecture.md, "Lists"): each GET list endpoint of the
// API (found in the OpenAPI document, so a new list is covered the day it is declared) is
// called with each filter it accepts, with and without a cursor, as a super user and as an
// account admin; every SELECT the request runs is EXPLAINed on both dialects and must neither
// sort, nor scan a table without an index, nor walk an index with nothing to stop it (no LIMIT,
// no index condition), nor (when rows are filtered out) walk every row dropping the others.

import { backupDestinationCreate } from "@steward/contracts/backups";
import type { ChannelSettings } from "@steward/contracts/notifications";
import { dialects, type S3Server, startS3rver } from "@steward/testkit";
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Secrets } from "../crypto/secrets.ts";
import type { Database } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import { insertApp } from "../modules/apps/repo.ts";
import { insertPlan } from "../modules/backups/plans-repo.ts";
import { insertDestination } from "../modules/backups/repo.ts";
import { insertArtifacts, insertRun } from "../modules/backups/runs-repo.ts";
import { insertSource } from "../modules/backups/sources-repo.ts";
import { replaceSiteExtensions, saveRelease } from "../modules/cms/fleet-repo.ts";
import { abandonedBefore } from "../modules/cms/plugin-directory.ts";
import { insertSite as insertCmsSite } from "../modules/cms/repo.ts";
import {
  insertHistory as insertCmsHistory,
  insertPolicy as insertCmsPolicy,
  insertShots as insertCmsShots,
} from "../modules/cms/update-repo.ts";
import { insertJob as insertCronJob, insertRun as insertCronRun } from "../modules/cron/repo.ts";
import { insertQuery } from "../modules/databases/console/repo.ts";
import { insertDatabase, insertUser } from "../modules/databases/items-repo.ts";
import { insertServer } from "../modules/databases/repo.ts";
import { recordSizes } from "../modules/databases/sizes-repo.ts";
import * as dkimRepo from "../modules/mail/dkim-repo.ts";
import * as mailRepo from "../modules/mail/repo.ts";
import * as mailUsageRepo from "../modules/mail/usage-repo.ts";
import { sealSettings } from "../modules/notifications/channel-rows.ts";
import { insertChannel } from "../modules/notifications/repo.ts";
import { insertRule } from "../modules/notifications/rules/repo.ts";
import { insertPage } from "../modules/status-pages/repo.ts";
import { insertUser as insertSystemUser } from "../modules/system-users/repo.ts";
import { mixedEvent } from "../testing/events.ts";
import { buildWorld, type World } from "../testing/fixtures.ts";
import { startTestServer } from "../testing/harness.ts";
import { LINES, registerTestKinds } from "../testing/task-kinds.ts";
import { explain, type PgNode, pgProblems, QueryCapture, sqliteProblems } from "./plans.ts";
import { listCalls } from "./plans-calls.ts";

/** Tables that stay tiny whatever the installation's size: read whole without complaint. */
const SMALL = new Set([
  // one row per setting
  "settings",
  // the builtin groups and those an administrator makes by hand
  "groups",
  // one row per server
  "nodes",
]);

/** Partial indexes whose rows are what the query asks for, or always few. */
const PARTIAL = new Set([
  // the enabled tasks, and an account's (migration 017): what `?enabled=true` asks for
  "tasks_enabled_idx",
  "tasks_account_enabled_idx",
  // recurring tasks whose last run failed: a few schedules
  "tasks_recurring_failed_idx",
  // recurring tasks: one per schedule
  "tasks_recurring_idx",
  // sites whose last apply failed or warned: the few the dashboard asks to look at
  "sites_failed_idx",
  "sites_warned_idx",
]);

describe.each(dialects())("list plans on %s", (dialect) => {
  const capture = new QueryCapture();
  let w: World;
  let raw: Kysely<unknown>;
  let s3: S3Server;
  let explored = "";
  let tables: Set<string>;
  const columns = new Map<string, Set<string>>();

  beforeAll(async () => {
    // the storage explorer lists a destination: an S3 one of account A on s3rver (loopback)
    s3 = await startS3rver();
    const s = await startTestServer(dialect, { STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" }, [capture]);
    registerTestKinds(s.svc.engine.registry);
    w = await buildWorld(s);
    const k = s.svc.db.db.withoutPlugins();
    raw = k as Kysely<unknown>;
    capture.attach(raw);
    const names =
      dialect === "sqlite"
        ? sql<{ name: string }>`select name from sqlite_master where type = 'table'`
        : sql<{ name: string }>`select tablename as name from pg_tables
            where schemaname = current_schema()`;
    tables = new Set((await names.execute(raw)).rows.map((r) => r.name));
    const cols =
      dialect === "sqlite"
        ? sql<{ t: string; c: string }>`select m.name as t, p.name as c
            from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`
        : sql<{ t: string; c: string }>`select table_name as t, column_name as c
            from information_schema.columns where table_schema = current_schema()`;
    for (const { t, c } of (await cols.execute(raw)).rows)
      columns.set(t, (columns.get(t) ?? new Set()).add(c));
    const accounts = [w.a, w.b, await w.mirrorOfA()];
    await addSites(k, accounts);
    await addChannels(k, s.svc.secrets, [...accounts, null]);
    await addRules(k, [...accounts, null]);
    await addDatabaseServers(k, [...accounts, null]);
    await addConsoleHistory(k, w);
    await addBackupDestinations(k, [...accounts, null]);
    await addBackupPlans(k, accounts);
    await addCmsSites(k, accounts);
    await addSystemUsers(k, accounts);
    await addMail(k, accounts);
    await addCronJobs(k, accounts);
    await addApps(k, accounts);
    // status pages of each account (an empty table's walks all look free)
    for (const [a, account] of accounts.entries())
      for (let i = 0; i < 4; i++)
        await insertPage(k, {
          id: `stp_0000000000000000000000${a}${i}`,
          account_id: account,
          slug: `plans-${a}-${i}`,
          title: "Status",
          description: "",
          created_at: 0,
          updated_at: 0,
        });
    // a few tasks in three accounts, some failed, so that PostgreSQL's statistics tell an
    // account's rows from all of them (as the engine's ANALYZE does after bulk enqueues)
    for (const accountId of accounts)
      for (let i = 0; i < 6; i++) {
        const { task } = await s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId });
        if (i % 2)
          await k
            .updateTable("tasks")
            .set({ state: "failed", finished_at: Date.now() })
            .where("id", "=", task.id)
            .execute();
      }
    // events in each account and of the installation, of several types
    for (const accountId of [...accounts, null])
      for (let i = 0; i < 6; i++) await mixedEvent(k, accountId, i);
    explored = await addExploredDestination(w, s3);
    if (dialect === "postgres") await sql`analyze`.execute(raw);
  });
  afterAll(() => Promise.all([w?.s.close(), s3?.stop()]));

  /**
   * The request with a real cursor: the one its first page of one row answers (past that
   * row, whichever way the list is ordered); the sample one for a list without pages (the
   * dashboard); null when the list has no second row.
   */
  async function withCursor(path: string, key: string | undefined): Promise<string | null> {
    const url = new URL(path, "http://x");
    url.searchParams.delete("cursor");
    url.searchParams.set("limit", "1");
    const first = await w.s.request("GET", `${url.pathname}${url.search}`, { key });
    const next: unknown = first.body?.nextCursor;
    if (first.body?.items === undefined) return path;
    if (typeof next !== "string") return null;
    url.searchParams.delete("limit");
    url.searchParams.set("cursor", next);
    return `${url.pathname}${url.search}`;
  }

  it("every query of every list is an index walk", async () => {
    const problems: string[] = [];
    const calls = await listCalls(w, { "backup-destinations": explored });
    expect(calls.length).toBeGreaterThan(10);
    for (const call of calls) {
      const path = call.cursor ? await withCursor(call.path, w.keys[call.actor]) : call.path;
      if (path === null) continue;
      capture.on = true;
      const res = await w.s.request("GET", path, { key: w.keys[call.actor] });
      capture.on = false;
      const queries = capture.take();
      if (res.status === 403 || res.status === 404) continue;
      if (res.status !== 200) {
        problems.push(`${call.actor} GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
        continue;
      }
      for (const query of queries) {
        const rules = {
          tables,
          columns,
          small: SMALL,
          partial: PARTIAL,
          filtered: call.filtered,
          bound: call.bound,
        };
        const plan = await explain(raw, dialect, query);
        const found =
          dialect === "sqlite"
            ? sqliteProblems(plan as string[], query.sql, rules)
            : pgProblems(plan as PgNode, rules, query.sql);
        if (call.cursor && /\boffset\b/i.test(query.sql)) found.push("pages by OFFSET");
        for (const problem of found)
          problems.push(
            `${call.actor} GET ${path}: ${problem}\n  query: ${query.sql}\n  plan: ${JSON.stringify(plan)}`,
          );
      }
    }
    expect(problems, problems.join("\n\n")).toEqual([]);
    // hundreds of requests (every filter and sort of every list), each EXPLAINed
  }, 180_000);
});

// Rows the world lacks: on an empty table PostgreSQL's planner sees every walk as free and
// picks any index; with sites spread over accounts and ANALYZE, the walk the rows call for.
/** Ten sites in each account, on one node, each with its name. */
const PLAN_CHANNELS: ChannelSettings[] = [
  { kind: "ntfy", serverUrl: "https://ntfy.sh", topic: "plans" },
  { kind: "gotify", serverUrl: "https://gotify.example.test", appToken: "AqkdWqbB7r.dH-x" },
];
/** Channels of each account and of the installation (null), of two kinds (no audit rows). */
async function addChannels(db: Kysely<Database>, secrets: Secrets, accounts: (string | null)[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertChannel(db, {
        id: `nch_0000000000000000000000${a}${i}`,
        account_id: account,
        name: `plans-${i}`,
        enabled: 1,
        ...sealSettings(PLAN_CHANNELS[i % 2] as ChannelSettings, secrets),
        last_test_at: null,
        last_test_ok: null,
        last_test_status: null,
        last_test_error: null,
        created_by: null,
        created_at: 0,
        updated_at: 0,
      });
}

/** Rules of each account and of the installation, each naming the first channel of its owner. */
async function addRules(db: Kysely<Database>, accounts: (string | null)[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertRule(
        db,
        {
          id: `nrl_0000000000000000000000${a}${i}`,
          account_id: account,
          name: `plans-${i}`,
          settings: JSON.stringify({ eventTypes: ["site."] }),
          created_by: null,
          created_at: 0,
          updated_at: 0,
        },
        [`nch_0000000000000000000000${a}0`],
      );
}

async function addSites(db: Kysely<Database>, accounts: string[]): Promise<void> {
  const node = "nod_00000000000000000000plans";
  await db
    .insertInto("nodes")
    .values({
      id: node,
      name: "plans",
      agent_url: "https://127.0.0.1:9",
      state: "trusted",
      created_at: 0,
      updated_at: 0,
    })
    .execute();
  const sites = accounts.flatMap((account, a) =>
    Array.from({ length: 10 }, (_, i) => {
      const n = a * 10 + i;
      return {
        id: `site_0000000000000000000000${String(n).padStart(4, "0")}`,
        account_id: account,
        node_id: node,
        kind: "static" as const,
        primary_domain: `site-${n}.example.test`,
        redirect: "none" as const,
        root: `/srv/site-${n}`,
        system_user: `stw-plans${n}`,
        status:
          (["active", "failed", "pending", "suspended", "deleting"] as const)[i % 5] ?? "active",
        created_at: n,
        updated_at: n,
      };
    }),
  );
  await db.insertInto("sites").values(sites).execute();
  // certificates (issue 13): one per site, most installed, spread over expiry
  await db
    .insertInto("certificates")
    .values(
      sites.map((site, n) => ({
        id: `cert_0000000000000000000000${String(n).padStart(4, "0")}`,
        site_id: site.id,
        account_id: site.account_id,
        node_id: node,
        names: JSON.stringify([site.primary_domain]),
        key_type: "ecdsa-p256" as const,
        state: (["active", "active", "failed", "pending"] as const)[n % 4] ?? "active",
        not_after: n % 4 === 3 ? null : 1_800_000_000_000 + n * 86_400_000,
        renew_at: n % 4 === 3 ? null : 1_797_000_000_000 + n * 86_400_000,
        serial: null,
        issuer: null,
        not_before: null,
        last_error: null,
        warned_days: null,
        task_id: null,
        created_at: n,
        updated_at: n,
      })),
    )
    .execute();
  // DNS zones (issue 13): one per site's account and number, two records each
  await db
    .insertInto("dns_zones")
    .values(
      sites.map((site, n) => ({
        id: `dnz_0000000000000000000000${String(n).padStart(4, "0")}`,
        name: `zone-${n}.example.test`,
        account_id: site.account_id,
        node_id: node,
        backend: null,
        serial: 2026010100 + n,
        applied_serial: null,
        status: (["active", "pending", "failed"] as const)[n % 3] ?? "active",
        last_error: null,
        task_id: null,
        created_at: n,
        updated_at: n,
      })),
    )
    .execute();
  // DNS secondaries (migration 049): every zone has one, on another node
  await db
    .insertInto("dns_zone_secondaries")
    .values(
      sites.map((_, n) => ({
        zone_id: `dnz_0000000000000000000000${String(n).padStart(4, "0")}`,
        node_id: "nod_00000000000000000secondary",
        state: (["active", "pending", "removing"] as const)[n % 3] ?? "active",
        last_error: null,
        task_id: null,
        created_at: n,
        updated_at: n,
      })),
    )
    .execute();
  await db
    .insertInto("dns_records")
    .values(
      sites.flatMap((_, n) =>
        ["NS", "A"].map((type, i) => ({
          id: `rec_0000000000000000000000${String(n).padStart(4, "0")}${i}`,
          zone_id: `dnz_0000000000000000000000${String(n).padStart(4, "0")}`,
          name: i ? "www" : "@",
          type: type as "NS" | "A",
          ttl: 3600,
          value: i ? "192.0.2.1" : "ns1.example.net.",
        })),
      ),
    )
    .execute();
  await db
    .insertInto("site_domains")
    .values(
      sites.map((s) => ({
        domain: s.primary_domain,
        site_id: s.id,
        kind: "domain" as const,
        position: 0,
      })),
    )
    .execute();
}

/** Database servers of each account and shared ones (null), four each (issue 14). */
async function addDatabaseServers(db: Kysely<Database>, accounts: (string | null)[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertServer(db, {
        id: `dbs_0000000000000000000000${a}${i}`,
        account_id: account,
        name: `db-${a}-${i}`,
        engine: i % 2 ? "mariadb" : "postgres",
        placement: "on-node",
        node_id: `nod_0000000000000000000000000${i}`,
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
  // a database and a user on each server
  const servers = await db
    .selectFrom("database_servers")
    .select(["id", "account_id", "engine"])
    .execute();
  for (const [i, server] of servers.entries()) {
    const row = {
      server_id: server.id,
      account_id: server.account_id,
      engine: server.engine,
      name: `d${i}`,
      created_at: i,
      updated_at: i,
    };
    await insertDatabase(db, { id: `db_${server.id}`, ...row });
    await insertUser(db, { id: `dbu_${server.id}`, ...row }, [
      { database_id: `db_${server.id}`, level: { kind: "all" } },
    ]);
    // more of both, so that an engine's rows of an account are a walk of their own on
    // PostgreSQL too (the engine filter, migration 050), not half of the account's
    for (let j = 0; j < 12; j++) {
      const more = { ...row, name: `d${i}_${j}` };
      await insertDatabase(db, { id: `db_${server.id}_${j}`, ...more });
      await insertUser(db, { id: `dbu_${server.id}_${j}`, ...more }, []);
    }
    // its size history: a point a day (an account's sums read them)
    for (let day = 0; day < 3; day++)
      await recordSizes(
        db,
        [{ id: `db_${server.id}`, sizeBytes: 1000 + day }],
        Date.now() - day * 86_400_000,
      );
  }
}

/** SQL console statements of several actors on account A's first database (addDatabaseServers). */
async function addConsoleHistory(db: Kysely<Database>, w: World) {
  const database = "db_dbs_000000000000000000000000";
  for (const [a, actor] of Object.values(w.userIds).entries())
    for (let i = 0; i < 4; i++)
      await insertQuery(db, {
        id: `dbq_0000000000000000000000${a}${i}`,
        database_id: database,
        account_id: w.a,
        actor_id: actor,
        statement: "SELECT 1",
        mode: "read",
        outcome: "success",
        error: null,
        row_count: 1,
        duration_ms: 1,
        at: a * 10 + i,
      });
}

/** An S3 destination of account A holding one artifact (the storage explorer's sample). */
async function addExploredDestination(w: World, s3: S3Server) {
  const made = await w.s.svc.backups.create(
    w.s.cli,
    backupDestinationCreate.parse({
      name: "explored",
      accountId: w.a,
      settings: {
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: s3.bucket,
        prefix: "plans",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
    }),
  );
  const { openDestination } = await import("@steward/agent/backups");
  const { Readable } = await import("node:stream");
  const destination = openDestination({
    kind: "s3",
    endpoint: s3.endpoint,
    region: "us-east-1",
    bucket: s3.bucket,
    prefix: "plans",
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  await destination.put(Readable.from([Buffer.from("x")]), "srv-1.tar.zst");
  await destination.close();
  return made.id;
}

/** Backup destinations of each account and shared ones (null), four each (issue 15). */
/** System users of each account on two nodes (issue 19): the list walks one account. */
async function addSystemUsers(db: Kysely<Database>, accounts: string[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertSystemUser(db, {
        id: `sysu_000000000000000000000${a}${i}`,
        account_id: account,
        node_id: `nod_0000000000000000000000000${i % 2}`,
        kind: i < 2 ? "main" : "secondary",
        name: `user${a}x${i}`,
        home: i < 2 ? "" : `team${i}`,
        shell: "sftp",
        ftp: 0,
        ssh_keys: "[]",
        password_hash: null,
        status: "applied",
        last_error: null,
        task_id: null,
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
}

/** Cron jobs of each account, four each, one run now each (issue 19): the list walks one account. */
async function addCronJobs(db: Kysely<Database>, accounts: string[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++) {
      const id = `cron_000000000000000000000${a}${i}`;
      await insertCronJob(db, {
        id,
        account_id: account,
        node_id: `nod_0000000000000000000000000${i % 2}`,
        system_user_id: `sysu_000000000000000000000${a}${i}`,
        schedule: "*/5 * * * *",
        command: "true",
        env: "{}",
        enabled: 1,
        status: "applied",
        last_error: null,
        task_id: null,
        last_run_id: null,
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
      await insertCronRun(db, {
        id: `cronrun_00000000000000000${a}${i}`,
        job_id: id,
        account_id: account,
        task_id: `tsk_000000000000000000000${a}${i}`,
        state: "done",
        exit_code: 0,
        created_at: a * 10 + i,
        finished_at: a * 10 + i,
        kind: "scheduled",
        spool_id: `${1765000000000 + i}-00000000000${a}`,
        uid: 1000,
        output: "ok",
      });
    }
}

/** Apps of each account on two nodes, of each status and source (migration 093's filters). */
async function addApps(db: Kysely<Database>, accounts: string[]) {
  const statuses = ["deploying", "running", "stopped", "failed"] as const;
  const sources = ["image", "git", "compose"] as const;
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 6; i++)
      await insertApp(db, {
        id: `app_000000000000000000000${a}${i}`,
        account_id: account,
        node_id: `nod_0000000000000000000000000${i % 2}`,
        name: `plans-${a}-${i}`,
        runtime_name: `plans-${a}-${i}`,
        image: "localhost/steward-httpd:latest",
        spec: JSON.stringify({ env: {}, ports: [], volumes: [], restart: "no", limits: {} }),
        secrets_sealed: null,
        published: "[]",
        status: statuses[i % statuses.length] ?? "running",
        source: sources[i % sources.length] ?? "image",
        last_error: null,
        task_id: null,
        domain: null,
        site_id: null,
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
}

/** CMS sites of each account, four each (issue 17): the fleet's list walks one account. */
async function addCmsSites(db: Kysely<Database>, accounts: string[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertCmsSite(db, {
        id: `cms_0000000000000000000000${a}${i}`,
        account_id: account,
        name: `blog-${a}-${i}`,
        kind: "wordpress",
        url: `https://blog-${a}-${i}.example.com`,
        username: "admin",
        secret_enc: "v1:not:a:secret",
        timezone: "UTC",
        info: null,
        core_version: "6.1.9",
        updates_available: i,
        refreshed_at: null,
        refresh_error: null,
        diagnosis: null,
        refresh_task_id: null,
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
  // update policies (the account's defaults and a site's) and each site's update history
  for (const [a, account] of accounts.entries()) {
    for (const site of ["", `cms_0000000000000000000000${a}0`])
      await insertCmsPolicy(db, {
        id: `cup_0000000000000000000000${a}${site ? 1 : 0}`,
        account_id: account,
        site_id: site,
        ext_type: "",
        ext_slug: "",
        level: "minor",
        stable_only: 1,
        window_start: 300,
        window_minutes: 120,
        window_days: 127,
        keyword: null,
        skip_version: null,
        created_at: 0,
        updated_at: 0,
      });
    for (let i = 0; i < 4; i++)
      for (let n = 0; n < 3; n++)
        await insertCmsHistory(db, {
          id: `cuh_000000000000000000000${a}${i}${n}`,
          account_id: account,
          site_id: `cms_0000000000000000000000${a}${i}`,
          task_id: null,
          ext_type: "plugin",
          ext_slug: "shop/shop.php",
          from_version: "1.0.0",
          to_version: "1.1.0",
          outcome: (["succeeded", "failed", "rolled_back"] as const)[n] ?? "succeeded",
          message: "the home page answers HTTP 200",
          status_before: 200,
          status_after: 200,
          visual_percent: n === 0 ? 0.5 : null,
          visual_threshold: n === 0 ? 5 : null,
          visual_shots: n === 0 ? 1 : 0,
          created_at: n,
        });
  }
  // the visual check's images of each site's first update (migration 083)
  for (const [a] of accounts.entries()) {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    for (let i = 0; i < 4; i++)
      await insertCmsShots(
        db,
        { id: `cuh_000000000000000000000${a}${i}0`, site_id: `cms_0000000000000000000000${a}${i}` },
        { before: png, after: png, diff: png },
      );
  }
  // each site's core and two plugins, one outdated (the fleet's views, migration 065), the other
  // abandoned (wordpress.org's last release cached, migration 075)
  await saveRelease(db, "hello", Date.UTC(2019, 0, 1), abandonedBefore(24));
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await replaceSiteExtensions(
        db,
        { id: `cms_0000000000000000000000${a}${i}`, account_id: account, kind: "wordpress" },
        {
          connector: "0.1.0",
          core: "6.1.9",
          php: "8.2",
          database: "",
          siteUrl: "",
          timezone: "UTC",
          coreUpdate: i % 2 ? "6.2.0" : null,
          extensions: [
            {
              type: "plugin",
              slug: "akismet/akismet.php",
              name: "Akismet",
              version: "5.0",
              active: true,
              update: "5.1",
            },
            {
              type: "plugin",
              slug: "hello/hello.php",
              name: "Hello",
              version: "1.0",
              active: false,
              update: null,
            },
          ],
        },
        abandonedBefore(24),
      );
}

async function addBackupDestinations(db: Kysely<Database>, accounts: (string | null)[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++)
      await insertDestination(db, {
        id: `bkd_0000000000000000000000${a}${i}`,
        account_id: account,
        name: `backups-${a}-${i}`,
        kind: "local",
        settings: JSON.stringify({
          kind: "local",
          nodeId: "nod_00000000000000000000000000",
          path: "/b",
        }),
        secrets_sealed: "v1:not:a:secret",
        secret_names: "[]",
        created_at: a * 10 + i,
        updated_at: a * 10 + i,
      });
}

/**
 * Backup sources, plans, runs (of each status) and artifacts (verified or not) of each account,
 * four of each (issue 15); account A's first plan, source and destination are the samples of
 * plans-calls.ts.
 */
async function addBackupPlans(db: Kysely<Database>, accounts: string[]) {
  const statuses = ["queued", "running", "succeeded", "partial", "failed"] as const;
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++) {
      const n = `${a}${i}`.padStart(2, "0");
      const id = (prefix: string) => `${prefix}_0000000000000000000000${a}${i}`;
      const at = a * 10 + i;
      await insertSource(db, {
        id: id("bks"),
        account_id: account,
        name: `source-${n}`,
        kind: "files",
        node_id: "nod_00000000000000000000000000",
        database_id: null,
        server_id: null,
        spec: JSON.stringify({ path: "/srv", excludes: [] }),
        secret_sealed: null,
        last_check: null,
        created_at: at,
        updated_at: at,
      });
      await insertPlan(db, {
        id: id("bkp"),
        account_id: account,
        name: `plan-${n}`,
        source_ids: JSON.stringify([id("bks")]),
        destination_ids: JSON.stringify([id("bkd")]),
        schedule: null,
        time_zone: "UTC",
        compression_level: 3,
        encryption: "none",
        recipients: "[]",
        private_key_sealed: null,
        retention: JSON.stringify({ keepLast: 7 }),
        concurrency: 1,
        enabled: 1,
        schedule_task_id: null,
        created_at: at,
        updated_at: at,
      });
      for (const [r, status] of statuses.entries()) {
        const runId = `${id("bkr")}${r}`;
        await insertRun(db, {
          id: runId,
          account_id: account,
          plan_id: id("bkp"),
          source_id: id("bks"),
          description: "/srv",
          node_id: "nod_00000000000000000000000000",
          status,
          artifact: `srv-${runId}.tar.zst`,
          source_bytes: 10,
          bytes: 5,
          outcomes: "[]",
          error: null,
          task_id: null,
          started_at: at,
          finished_at: at,
          created_at: at,
        });
        await insertArtifacts(db, [
          {
            // an artifact's id carries its time (the from/to filters are id ranges): made in
            // 2026, as a real one would be, not at the epoch like the rest of this world
            id: newId("bka", Date.parse("2026-06-01T00:00:00Z") + at * 1000 + r),
            account_id: account,
            run_id: runId,
            plan_id: id("bkp"),
            source_id: id("bks"),
            destination_id: id("bkd"),
            name: `srv-${runId}.tar.zst`,
            bytes: 5,
            sha256: "0".repeat(64),
            source_description: "/srv",
            verified: r % 2,
            verified_at: r % 2 ? at : null,
            deleted_at: null,
            created_at: at,
          },
        ]);
      }
    }
}

/** Mail domains of each account (issue 18), each with mailboxes and aliases. */
async function addMail(db: Kysely<Database>, accounts: string[]) {
  for (const [a, account] of accounts.entries())
    for (let i = 0; i < 4; i++) {
      const id = `mdm_00000000000000000000000${a}${i}`;
      await mailRepo.insertDomain(db, {
        id,
        name: `mail-${a}-${i}.example.test`,
        account_id: account,
        node_id: "nod_01jd0000000000000000000000",
        certificate_site_id: null,
        status: (["active", "pending", "failed"] as const)[i % 3] ?? "active",
        last_error: null,
        task_id: null,
        created_at: i,
        updated_at: i,
      });
      for (let j = 0; j < 3; j++) {
        await mailRepo.insertMailbox(db, {
          id: `mbx_0000000000000000000000${a}${i}${j}`,
          domain_id: id,
          account_id: account,
          address: `box${j}@mail-${a}-${i}.example.test`,
          password_hash: "{ARGON2ID}x",
          quota_mb: 0,
          enabled: 1,
          created_at: j,
          updated_at: j,
        });
        // its usage now and an hour of history (migration 071)
        await mailUsageRepo.recordUsage(
          db,
          [
            {
              id: `mbx_0000000000000000000000${a}${i}${j}`,
              accountId: account,
              bytes: 1024 * j,
              messages: j,
              limitBytes: null,
            },
          ],
          3_600_000 * (j + 1),
        );
        await mailRepo.insertAlias(db, {
          id: `mal_0000000000000000000000${a}${i}${j}`,
          domain_id: id,
          account_id: account,
          source: `alias${j}@mail-${a}-${i}.example.test`,
          destinations: JSON.stringify([`box${j}@mail-${a}-${i}.example.test`]),
          created_at: j,
        });
      }
      // its DKIM keys (the newest signs, the one before retired) and the records made (070)
      for (const [j, status] of (["retired", "active"] as const).entries())
        await dkimRepo.insertKey(db, {
          id: `dkk_0000000000000000000000${a}${i}${j}`,
          domain_id: id,
          selector: `steward20261${j}`,
          public_key: "MIIBIjAN",
          status,
          last_error: null,
          task_id: null,
          created_at: j,
          updated_at: j,
        });
      await dkimRepo.setPolicy(db, id, {
        spf_all: "-all",
        dmarc_policy: "quarantine",
        dmarc_report: `box0@mail-${a}-${i}.example.test`,
      });
      await dkimRepo.setMadeRecords(db, id, [
        {
          zoneId: "dnz_01jd0000000000000000000000",
          name: "@",
          type: "TXT",
          value: "v=spf1 mx a ~all",
        },
      ]);
    }
}
