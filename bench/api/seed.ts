// The bulk of bench:api's data, written straight into a migrated database with one
// INSERT … SELECT per table (bench/api/rows.ts): accounts, nodes, sites with their names,
// apps (one per five sites), tasks and audit events, in realistic mixes. Users, groups and grants are few and made
// through the services (bench/api/access.ts), so their rows are what the panel writes.
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { type Author, auditColumns, SITE_IDS, siteOf, taskColumns } from "./history.ts";
import {
  type Dialect,
  idOf,
  insertSeries,
  literal,
  pick,
  type Series,
  series,
  timeSql,
} from "./rows.ts";

export interface Counts {
  sites: number;
  tasks: number;
  audit: number;
}

const DAY = 86_400_000;
const SITES_PER_ACCOUNT = 50;
const SITES_PER_NODE = 200;
const SITES_PER_APP = 5;

export const scaleOf = (c: Counts) => ({
  accounts: Math.max(5, Math.round(c.sites / SITES_PER_ACCOUNT)),
  nodes: Math.max(3, Math.round(c.sites / SITES_PER_NODE)),
});

export async function seedBulk(
  db: Kysely<unknown>,
  dialect: Dialect,
  counts: Counts,
  authors: Author[],
): Promise<Record<string, number>> {
  const now = Date.now();
  const scale = scaleOf(counts);
  const accounts = series("acc", scale.accounts, now - 200 * DAY, 100 * DAY);
  const nodes = series("node", scale.nodes, now - 150 * DAY, 50 * DAY);
  const sites = series("site", counts.sites, now - 20 * DAY, 130 * DAY);
  const apps = series("app", Math.ceil(counts.sites / SITES_PER_APP), now - 10 * DAY, 100 * DAY);
  // within the default retention of finished tasks (30 days): the daily logrotate task would
  // delete older ones while the bench runs
  const tasks = series("task", counts.tasks, now - 60_000, 29 * DAY);
  const audit = series("ev", counts.audit, now - 60_000, 90 * DAY);
  if (dialect === "sqlite") {
    // the indexes of a million rows stay in memory while they are written (this connection
    // only; the panel opens its own)
    await sql`pragma cache_size = -1048576`.execute(db);
    await sql`pragma synchronous = off`.execute(db);
  }
  const run = async (table: string, s: Series, columns: Record<string, string>, join = "") => {
    const t0 = performance.now();
    await insertSeries(db, dialect, table, s.count, columns, join);
    process.stderr.write(`seed: ${table} ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  };

  await run("accounts", accounts, {
    id: idOf(accounts, "n"),
    slug: `'acct-' || n`,
    name: `'Account ' || n`,
    created_at: timeSql(accounts, "n"),
    updated_at: timeSql(accounts, "n"),
  });
  await run("nodes", nodes, nodeColumns(nodes, now));
  await run("sites", sites, siteColumns(sites, accounts, nodes));
  await run("apps", apps, appColumns(apps, accounts, nodes));
  // every site answers to its domain; one in five redirects to its www counterpart
  await run("site_domains", sites, {
    domain: `'site-' || n || '.example.test'`,
    site_id: idOf(sites, "n"),
    kind: literal("domain"),
    position: "0",
  });
  await insertSeries(db, dialect, "site_domains", Math.ceil(counts.sites / 5), {
    domain: `'www.site-' || (n * 5) || '.example.test'`,
    site_id: idOf(sites, "n * 5"),
    kind: literal("www"),
    position: "0",
  });
  // each site's ids once, for the history's rows to look up
  await sql`create table ${sql.table(SITE_IDS)} (site_n bigint primary key, site_id text not null,
    account_id text not null, node_id text not null)`.execute(db);
  await run(SITE_IDS, sites, {
    site_n: "n",
    site_id: idOf(sites, "n"),
    account_id: idOf(accounts, `n % ${accounts.count}`),
    node_id: idOf(nodes, `n % ${nodes.count}`),
  });
  const join = `join ${SITE_IDS} s on s.site_n = ${siteOf(sites.count)}`;
  await run("tasks", tasks, taskColumns(tasks, authors, now), join);
  await run("audit_events", audit, auditColumns(audit, authors), join);
  await sql`drop table ${sql.table(SITE_IDS)}`.execute(db);
  if (dialect === "postgres") await sql`analyze`.execute(db); // what autovacuum would do
  return {
    accounts: accounts.count,
    nodes: nodes.count,
    sites: sites.count,
    apps: apps.count,
    tasks: tasks.count,
    audit_events: audit.count,
  };
}

function nodeColumns(nodes: Series, now: number): Record<string, string> {
  // 7 in 10 trusted, then unreachable, pending, revoked; agents on a closed local port
  const state = pick("n % 10", [
    "trusted",
    "trusted",
    "trusted",
    "trusted",
    "trusted",
    "trusted",
    "trusted",
    "unreachable",
    "pending",
    "revoked",
  ]);
  return {
    id: idOf(nodes, "n"),
    name: `'node-' || n`,
    agent_url: literal("https://127.0.0.1:9"),
    state,
    cert_fingerprint: `case when n % 10 = 8 then null else '${"ab".repeat(32)}' end`,
    cert_expires_at: String(now + 300 * DAY),
    last_seen_at: `case when n % 10 = 8 then null else ${now - 60_000} - n * 1000 end`,
    last_error: `case when n % 10 = 7 then 'connect ECONNREFUSED 127.0.0.1:9' else null end`,
    created_at: timeSql(nodes, "n"),
    updated_at: timeSql(nodes, "n"),
  };
}

function siteColumns(sites: Series, accounts: Series, nodes: Series): Record<string, string> {
  // 1 in 20 failed, pending, suspended each; the rest active
  const status = pick("n % 20", ["failed", "pending", "suspended"]);
  return {
    id: idOf(sites, "n"),
    account_id: idOf(accounts, `n % ${accounts.count}`),
    node_id: idOf(nodes, `n % ${nodes.count}`),
    kind: pick("n % 3", ["static", "php", "proxy"]),
    primary_domain: `'site-' || n || '.example.test'`,
    redirect: `case when n % 5 = 0 then 'to-www' else 'none' end`,
    root: `'/home/stw-s' || n || '/public'`,
    upstream: `case when n % 3 = 2 then 'http://127.0.0.1:8080' else null end`,
    system_user: `'stw-s' || n`,
    status: `coalesce(${status}, 'active')`,
    suspended: `case when n % 20 = 2 then 1 else 0 end`,
    applied_version: `case when n % 20 = 1 then 0 else 1 end`,
    last_error: `case when n % 20 = 0 then 'nginx -t failed: unknown directive' else null end`,
    created_at: timeSql(sites, "n"),
    updated_at: timeSql(sites, "n"),
  };
}

/** Apps of an image (a third each built from git and compose stacks), most running. */
function appColumns(apps: Series, accounts: Series, nodes: Series): Record<string, string> {
  // 1 in 10 stopped, failed each, 1 in 20 deploying; the rest running
  const status = pick("n % 20", ["stopped", "stopped", "failed", "failed", "deploying"]);
  const spec = {
    env: { MODE: "prod" },
    ports: [],
    volumes: [],
    restart: "unless-stopped",
    limits: {},
  };
  return {
    id: idOf(apps, "n"),
    account_id: idOf(accounts, `n % ${accounts.count}`),
    node_id: idOf(nodes, `n % ${nodes.count}`),
    name: `'app-' || n`,
    runtime_name: `'app-' || n`,
    image: literal("ghcr.io/acme/app:1.4.2"),
    spec: literal(JSON.stringify(spec)),
    published: literal("[]"),
    status: `coalesce(${status}, 'running')`,
    source: pick("n % 3", ["image", "git", "compose"]),
    last_error: `case when n % 20 in (2, 3) then 'the container exited with 1' else null end`,
    created_at: timeSql(apps, "n"),
    updated_at: timeSql(apps, "n"),
  };
}
