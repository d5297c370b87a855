// The access matrix: every route the app registers, with the status each kind of actor gets.
// A new route without a row here fails the "every route has a row" test.
import { type AuditEvent, type ErrorCode, errorStatus, type Role } from "@steward/contracts";
import { databaseServerCreate } from "@steward/contracts/databases";
import { monitorCreate } from "@steward/contracts/monitors";
import { ruleSettings } from "@steward/contracts/notifications";
import { type CloudflareFake, dialects, startCloudflareFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { insertDeliveries } from "../modules/notifications/dispatch/repo.ts";
import { APPS_ROWS } from "../testing/apps-matrix-rows.ts";
import { BACKUP_EXPLORER_ROWS } from "../testing/backup-explorer-matrix-rows.ts";
import { BACKUP_ROWS } from "../testing/backup-matrix-rows.ts";
import { BACKUP_PLAN_ROWS } from "../testing/backup-plan-matrix-rows.ts";
import { CMS_ROWS } from "../testing/cms-matrix-rows.ts";
import { CMS_UPDATE_ROWS } from "../testing/cms-update-matrix-rows.ts";
import { CRON_ROWS } from "../testing/cron-matrix-rows.ts";
import { DATABASE_CONSOLE_ROWS } from "../testing/database-console-matrix-rows.ts";
import { DATABASE_ITEM_ROWS } from "../testing/database-matrix-rows.ts";
import { DNS_ROWS } from "../testing/dns-matrix-rows.ts";
import { eventIn } from "../testing/events.ts";
import { FIREWALL_ROWS } from "../testing/firewall-matrix-rows.ts";
import { ACTORS, type ActorName, type World } from "../testing/fixtures.ts";
import { GIT_APP_ROWS } from "../testing/git-apps-matrix-rows.ts";
import { GITHUB_ROWS } from "../testing/github-matrix-rows.ts";
import { PASSWORD } from "../testing/harness.ts";
import { MAIL_ROWS } from "../testing/mail-matrix-rows.ts";
import { SYSUSERS_ROWS } from "../testing/sysusers-matrix-rows.ts";
import { LINES } from "../testing/task-kinds.ts";
import { useTaskWorld } from "../testing/task-world.ts";
import { TUNNEL_ROWS } from "../testing/tunnel-matrix-rows.ts";

/** Statuses in the order of ACTORS: super, accountAdmin, operator, reader, noGrant, otherAdmin, narrowKey. */
type Statuses = [number, number, number, number, number, number, number];
interface Call {
  path: string;
  body?: unknown;
  /** runs after the call whatever its outcome, so that later calls see the same world */
  cleanup?: () => Promise<unknown>;
}
interface Row {
  expect: Statuses;
  call(w: World, who: ActorName): Promise<Call>;
}

const ALL_OK: Statuses = [200, 200, 200, 200, 200, 200, 200];
const SUPER_ONLY = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];
/** account A: readers read, admins administer, strangers are told it does not exist */
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];
/** grants on account A: its admins and super; no hiding, the refusal names the role needed */
const A_GRANTS = (ok: number): Statuses => [ok, ok, 403, 403, 403, 403, 403];

const ensureMember = (w: World) =>
  w.s.svc.accounts.addMember(w.s.cli, w.a, {
    principalType: "user",
    principalId: w.target,
    role: "read",
  });
/** operate on account A: run and cancel tasks */
const A_OPERATE = (ok: number): Statuses => [ok, ok, ok, 403, 404, 404, 403];
/** a new task in account A, queued (the test server runs no worker) or already finished */
const taskOnA = async (w: World, finished = false) => {
  const { task } = await w.s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId: w.a });
  if (finished)
    await w.s.svc.db.db
      .updateTable("tasks")
      .set({ state: "succeeded", enabled: 0, finished_at: Date.now() })
      .where("id", "=", task.id)
      .execute();
  return task.id;
};
const groupWithTarget = async (w: World) => {
  const g = await w.freshGroup();
  await w.s.svc.groups.addMember(w.s.cli, g, w.target);
  return g;
};

/** installation-wide infrastructure: global readers read (super, and its narrowed key) */
const GLOBAL_READ: Statuses = [200, 403, 403, 403, 403, 403, 200];
const newNode = async (w: World) =>
  (
    await w.s.svc.nodes.create(w.s.cli, {
      name: `n-${w.unique()}`,
      agentUrl: "https://10.0.0.1:7443",
    })
  ).id;

/** a site in account A on a trusted node (the test server runs no worker: its task waits) */
const siteOnA = async (w: World) => {
  const node = await newNode(w);
  await w.s.svc.db.db
    .updateTable("nodes")
    .set({ state: "trusted" })
    .where("id", "=", node)
    .execute();
  const site = await w.s.svc.sites.create(w.s.cli, {
    node,
    account: w.a,
    kind: "static",
    domains: [`s-${w.unique()}.example.com`],
    aliases: [],
    redirect: "none",
    root: "public",
  });
  return { node, site: site.id };
};
/** account A's admins change sites; strangers are told the site does not exist */
const SITE_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

// ---- notification channels and message templates (issue 12) ----
/** a channel of account A; its webhook's host does not resolve, so a test send fails fast */
const channelOnA = async (w: World) =>
  (
    await w.s.svc.channels.create(w.s.cli, {
      name: `hook-${w.unique()}`,
      account: w.a,
      enabled: true,
      settings: {
        kind: "webhook",
        url: "https://hooks.example.invalid/steward",
        secret: "whsec_0123456789abcdef",
        headers: {},
      },
    })
  ).id;
const TEMPLATE = "/api/v1/message-templates/monitor.down/text";
const NOTIFICATION_ROWS: Record<string, Row> = {
  "GET /api/v1/notification-channels": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/notification-channels" }),
  },
  "POST /api/v1/notification-channels": {
    expect: A_GRANTS(201),
    call: async (w) => ({
      path: "/api/v1/notification-channels",
      body: {
        name: `n-${w.unique()}`,
        account: w.a,
        settings: { kind: "ntfy", topic: "steward-alerts" },
      },
    }),
  },
  "GET /api/v1/notification-channels/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/notification-channels/${await channelOnA(w)}` }),
  },
  "PATCH /api/v1/notification-channels/:id": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/notification-channels/${await channelOnA(w)}`,
      body: { enabled: false },
    }),
  },
  "DELETE /api/v1/notification-channels/:id": {
    expect: SITE_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/notification-channels/${await channelOnA(w)}` }),
  },
  "POST /api/v1/notification-channels/:id/test": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/notification-channels/${await channelOnA(w)}/test` }),
  },
  "GET /api/v1/message-templates": {
    expect: GLOBAL_READ,
    call: async () => ({ path: "/api/v1/message-templates" }),
  },
  "GET /api/v1/message-templates/:type/:format": {
    expect: GLOBAL_READ,
    call: async () => ({ path: TEMPLATE }),
  },
  "PUT /api/v1/message-templates/:type/:format": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: TEMPLATE, body: { subject: "{{ event.summary }}", body: "down" } }),
  },
  "DELETE /api/v1/message-templates/:type/:format": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: TEMPLATE }),
  },
  "POST /api/v1/message-templates/preview": {
    expect: GLOBAL_READ,
    call: async () => ({
      path: "/api/v1/message-templates/preview",
      body: { type: "monitor.down", format: "html" },
    }),
  },
};
// ---- end of notification channels and message templates ----

// --- monitors (issue 12) ---
/** a heartbeat monitor in account A (no network: its check reads the last report) */
const monitorOnA = async (w: World) =>
  (
    await w.s.svc.monitors.create(
      w.s.cli,
      monitorCreate.parse({
        name: `m-${w.unique()}`,
        account: w.a,
        settings: { kind: "heartbeat" },
      }),
    )
  ).id;
const MONITOR_ROWS: Record<string, Row> = {
  "GET /api/v1/monitors": { expect: ALL_OK, call: async () => ({ path: "/api/v1/monitors" }) },
  "POST /api/v1/monitors": {
    expect: A_GRANTS(201),
    call: async (w) => ({
      path: "/api/v1/monitors",
      body: { name: "m", account: w.a, settings: { kind: "heartbeat" } },
    }),
  },
  "GET /api/v1/monitors/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}` }),
  },
  "GET /api/v1/monitors/:id/results": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}/results` }),
  },
  "GET /api/v1/monitors/:id/series": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}/series?range=7d` }),
  },
  "PATCH /api/v1/monitors/:id": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}`, body: { name: "n" } }),
  },
  "DELETE /api/v1/monitors/:id": {
    expect: SITE_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}` }),
  },
  ...Object.fromEntries(
    ["check", "pause", "resume"].map((verb) => [
      `POST /api/v1/monitors/:id/${verb}`,
      {
        expect: SITE_ADMIN(200),
        call: async (w: World) => ({ path: `/api/v1/monitors/${await monitorOnA(w)}/${verb}` }),
      },
    ]),
  ),
};
// --- end of monitors ---

// --- status pages (issue 12): an account's admins manage them, nobody else sees them ---
/** a status page of account A, and an incident on it */
const statusPageOnA = async (w: World) => {
  const page = await w.s.svc.statusPages.create(w.s.cli, {
    account: w.a,
    slug: `p-${w.unique()}`,
    title: "Status",
    description: "",
    monitors: [],
  });
  const incident = await w.s.svc.statusPages.addIncident(w.s.cli, page.id, {
    title: "Slow",
    body: "",
    severity: "minor",
  });
  return { page: page.id, incident: incident.id };
};
/** hidden from all but the account's admins and super users */
const A_ADMIN_ONLY = (ok: number): Statuses => [ok, ok, 404, 404, 404, 404, 404];
const STATUS_PAGE_ROWS: Record<string, Row> = {
  "GET /api/v1/status-pages": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/status-pages" }),
  },
  "POST /api/v1/status-pages": {
    expect: A_GRANTS(201),
    call: async (w) => ({
      path: "/api/v1/status-pages",
      body: { account: w.a, slug: `p-${w.unique()}`, title: "Status" },
    }),
  },
  "GET /api/v1/status-pages/:id": {
    expect: A_ADMIN_ONLY(200),
    call: async (w) => ({ path: `/api/v1/status-pages/${(await statusPageOnA(w)).page}` }),
  },
  "PATCH /api/v1/status-pages/:id": {
    expect: A_ADMIN_ONLY(200),
    call: async (w) => ({
      path: `/api/v1/status-pages/${(await statusPageOnA(w)).page}`,
      body: { title: "New" },
    }),
  },
  "DELETE /api/v1/status-pages/:id": {
    expect: A_ADMIN_ONLY(204),
    call: async (w) => ({ path: `/api/v1/status-pages/${(await statusPageOnA(w)).page}` }),
  },
  "GET /api/v1/status-pages/:id/incidents": {
    expect: A_ADMIN_ONLY(200),
    call: async (w) => ({
      path: `/api/v1/status-pages/${(await statusPageOnA(w)).page}/incidents`,
    }),
  },
  "POST /api/v1/status-pages/:id/incidents": {
    expect: A_ADMIN_ONLY(201),
    call: async (w) => ({
      path: `/api/v1/status-pages/${(await statusPageOnA(w)).page}/incidents`,
      body: { title: "Down" },
    }),
  },
  "PATCH /api/v1/status-pages/:id/incidents/:incident": {
    expect: A_ADMIN_ONLY(200),
    call: async (w) => {
      const { page, incident } = await statusPageOnA(w);
      return { path: `/api/v1/status-pages/${page}/incidents/${incident}`, body: { title: "Up" } };
    },
  },
  "DELETE /api/v1/status-pages/:id/incidents/:incident": {
    expect: A_ADMIN_ONLY(204),
    call: async (w) => {
      const { page, incident } = await statusPageOnA(w);
      return { path: `/api/v1/status-pages/${page}/incidents/${incident}` };
    },
  },
};
// --- end of status pages ---

// --- certificates (issue 13): a site's certificate is the site's ---
/** the certificate of a site in account A (its task waits: no worker) */
const certOnA = async (w: World) => {
  const { site } = await siteOnA(w);
  return (
    await w.s.svc.certificates.request(w.s.cli, {
      site,
      keyType: "ecdsa-p256",
      hsts: false,
      wildcard: false,
    })
  ).id;
};
const CERTIFICATE_ROWS: Record<string, Row> = {
  "GET /api/v1/certificates": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/certificates" }),
  },
  "POST /api/v1/certificates": {
    expect: SITE_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/certificates", body: { site: (await siteOnA(w)).site } }),
  },
  "GET /api/v1/certificates/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/certificates/${await certOnA(w)}` }),
  },
  "POST /api/v1/certificates/:id/renew": {
    expect: SITE_ADMIN(202),
    call: async (w) => ({ path: `/api/v1/certificates/${await certOnA(w)}/renew` }),
  },
  // who may is told what is wrong with the PEM (checked after access, before any node)
  "POST /api/v1/certificates/upload": {
    expect: SITE_ADMIN(400),
    call: async (w) => ({
      path: "/api/v1/certificates/upload",
      body: {
        site: (await siteOnA(w)).site,
        certificate: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
      },
    }),
  },
  // the panel's own certificate: super users only; this panel has no STEWARD_TLS_DOMAIN (404)
  "GET /api/v1/certificates/panel": {
    expect: SUPER_ONLY(404),
    call: async () => ({ path: "/api/v1/certificates/panel" }),
  },
  "POST /api/v1/certificates/panel/renew": {
    expect: SUPER_ONLY(404),
    call: async () => ({ path: "/api/v1/certificates/panel/renew" }),
  },
};
// --- end of certificates ---

// --- DNS providers (issue 13, dns-01): an account's; their tokens checked against the fake ---
let cloudflare: CloudflareFake | null = null;
const CF_TOKEN = "matrix-token-0123456789abcdef";
afterAll(() => cloudflare?.stop());
/** points this server's Cloudflare at the fake (on loopback: allowed for it) */
async function useCloudflare(w: World) {
  cloudflare ??= await startCloudflareFake({ zones: ["example.test"], tokens: { [CF_TOKEN]: {} } });
  const settings = w.s.svc.settings;
  Object.assign(settings, {
    cloudflareApi: cloudflare.base,
    outboundAllow: [...new Set([...settings.outboundAllow, "127.0.0.1/32"])],
  });
}
const providerOnA = async (w: World) => {
  await useCloudflare(w);
  const name = `cf-${w.unique()}`;
  const body = { account: w.a, kind: "cloudflare" as const, name, token: CF_TOKEN };
  return (await w.s.svc.dnsProviders.create(w.s.cli, body)).id;
};
const DNS_PROVIDER_ROWS: Record<string, Row> = {
  "GET /api/v1/dns-providers": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/dns-providers?account=${w.a}` }),
  },
  "POST /api/v1/dns-providers": {
    expect: A_ADMIN(201),
    call: async (w) => {
      await useCloudflare(w);
      const body = { account: w.a, name: `cf-${w.unique()}`, token: CF_TOKEN };
      return { path: "/api/v1/dns-providers", body };
    },
  },
  "GET /api/v1/dns-providers/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/dns-providers/${await providerOnA(w)}` }),
  },
  "POST /api/v1/dns-providers/:id/test": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/dns-providers/${await providerOnA(w)}/test` }),
  },
  "DELETE /api/v1/dns-providers/:id": {
    expect: A_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/dns-providers/${await providerOnA(w)}` }),
  },
};
// --- end of DNS providers ---

// ---- notification rules and deliveries (issue 12) ----
const ruleOnA = async (w: World) =>
  (
    await w.s.svc.rules.create(w.s.cli, {
      name: `rule-${w.unique()}`,
      account: w.a,
      enabled: true,
      settings: ruleSettings.parse({ eventTypes: ["site."] }),
      channels: [await channelOnA(w)],
    })
  ).id;
/** a delivery on a channel of account A, as the dispatcher records one */
const deliveryOnA = async (w: World) => {
  const channel = await channelOnA(w);
  const id = `ndl_${w.unique()}`;
  const now = Date.now();
  await insertDeliveries(
    w.s.svc.db.db,
    [
      {
        ...{ id, rule_id: null, channel_id: channel, account_id: w.a, event_id: "evt_x" },
        ...{ event_type: "site.failed", group_key: null, repeat_key: "site.failed|-" },
        ...{ flapping: null, due_at: now, state: "sent", created_at: now, updated_at: now },
      },
    ],
    [],
  );
  return { channel, id };
};
const RULE_ROWS: Record<string, Row> = {
  "GET /api/v1/notification-rules": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/notification-rules" }),
  },
  "POST /api/v1/notification-rules": {
    expect: A_GRANTS(201),
    call: async (w) => ({
      path: "/api/v1/notification-rules",
      body: {
        name: `r-${w.unique()}`,
        account: w.a,
        settings: { eventTypes: ["task."] },
        channels: [await channelOnA(w)],
      },
    }),
  },
  "GET /api/v1/notification-rules/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/notification-rules/${await ruleOnA(w)}` }),
  },
  "PATCH /api/v1/notification-rules/:id": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/notification-rules/${await ruleOnA(w)}`,
      body: { enabled: false },
    }),
  },
  "DELETE /api/v1/notification-rules/:id": {
    expect: SITE_ADMIN(204),
    call: async (w) => ({ path: `/api/v1/notification-rules/${await ruleOnA(w)}` }),
  },
  "GET /api/v1/notification-channels/:id/deliveries": {
    expect: A_READ,
    call: async (w) => ({
      path: `/api/v1/notification-channels/${(await deliveryOnA(w)).channel}/deliveries`,
    }),
  },
  "GET /api/v1/notification-deliveries/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/notification-deliveries/${(await deliveryOnA(w)).id}` }),
  },
  "GET /api/v1/notification-settings": {
    expect: GLOBAL_READ,
    call: async () => ({ path: "/api/v1/notification-settings" }),
  },
  "PUT /api/v1/notification-settings": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: "/api/v1/notification-settings", body: { emergencyChannel: null } }),
  },
};
// ---- end of notification rules and deliveries ----

// ---- database servers (issue 14) ----
/** a server on a node of account A, kept though its test cannot reach the node's agent */
const dbServerOnA = async (w: World) =>
  (
    await w.s.svc.databases.create(
      w.s.cli,
      databaseServerCreate.parse({
        placement: "on-node",
        name: `db-${w.unique()}`,
        engine: "postgres",
        nodeId: "nod_00000000000000000000000000",
        accountId: w.a,
        saveAnyway: true,
      }),
    )
  ).id;
const DATABASE_ROWS: Record<string, Row> = {
  "GET /api/v1/database-servers": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/database-servers" }),
  },
  "POST /api/v1/database-servers": {
    expect: A_GRANTS(201),
    call: async (w) => ({
      path: "/api/v1/database-servers",
      body: {
        placement: "on-node",
        name: "db",
        engine: "mariadb",
        nodeId: "nod_00000000000000000000000000",
        accountId: w.a,
        saveAnyway: true,
      },
    }),
  },
  "GET /api/v1/database-servers/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/database-servers/${await dbServerOnA(w)}` }),
  },
  "POST /api/v1/database-servers/:id/test": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/database-servers/${await dbServerOnA(w)}/test` }),
  },
};
// ---- end of database servers ----

const MATRIX: Record<string, Row> = {
  ...NOTIFICATION_ROWS,
  ...MONITOR_ROWS,
  ...CERTIFICATE_ROWS,
  ...DNS_PROVIDER_ROWS,
  ...STATUS_PAGE_ROWS,
  ...RULE_ROWS,
  ...DNS_ROWS,
  ...APPS_ROWS,
  ...GIT_APP_ROWS,
  ...SYSUSERS_ROWS,
  ...CRON_ROWS,
  ...BACKUP_ROWS,
  ...BACKUP_PLAN_ROWS,
  ...BACKUP_EXPLORER_ROWS,
  ...DATABASE_ROWS,
  ...DATABASE_CONSOLE_ROWS,
  ...DATABASE_ITEM_ROWS,
  ...CMS_ROWS,
  ...CMS_UPDATE_ROWS,
  ...MAIL_ROWS,
  ...GITHUB_ROWS,
  ...TUNNEL_ROWS,
  ...FIREWALL_ROWS,
  "GET /api/v1/me": { expect: ALL_OK, call: async () => ({ path: "/api/v1/me" }) },
  "GET /api/v1/users": { expect: SUPER_ONLY(200), call: async () => ({ path: "/api/v1/users" }) },
  "POST /api/v1/users": {
    expect: SUPER_ONLY(201),
    call: async (w) => ({
      path: "/api/v1/users",
      body: { email: `u-${w.unique()}@example.com`, password: PASSWORD },
    }),
  },
  "GET /api/v1/users/:id": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/users/${w.target}` }),
  },
  "PATCH /api/v1/users/:id": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/users/${w.target}`, body: { name: "Target" } }),
  },
  "POST /api/v1/users/:id/password": {
    expect: SUPER_ONLY(204),
    call: async (w) => ({
      path: `/api/v1/users/${w.target}/password`,
      body: { password: PASSWORD },
    }),
  },
  "POST /api/v1/users/:id/reset-2fa": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/users/${w.target}/reset-2fa`, body: {} }),
  },
  "DELETE /api/v1/users/:id/github": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/users/${w.target}/github` }),
  },
  "GET /api/v1/accounts": { expect: ALL_OK, call: async () => ({ path: "/api/v1/accounts" }) },
  "POST /api/v1/accounts": {
    expect: SUPER_ONLY(201),
    call: async (w) => {
      const slug = `new-${w.unique()}`;
      return {
        path: "/api/v1/accounts",
        body: { slug, name: "New" },
        cleanup: () => w.s.svc.accounts.remove(w.s.cli, slug),
      };
    },
  },
  "GET /api/v1/accounts/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}` }),
  },
  "PATCH /api/v1/accounts/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}`, body: { name: "Account acc-a" } }),
  },
  "DELETE /api/v1/accounts/:id": {
    expect: [204, 403, 403, 403, 404, 404, 403],
    call: async (w) => {
      const id = await w.mirrorOfA();
      return {
        path: `/api/v1/accounts/${id}`,
        cleanup: () => w.s.svc.accounts.remove(w.s.cli, id),
      };
    },
  },
  "GET /api/v1/accounts/:id/members": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/accounts/${w.a}/members` }),
  },
  "POST /api/v1/accounts/:id/members": {
    expect: A_ADMIN(204),
    call: async (w) => ({
      path: `/api/v1/accounts/${w.a}/members`,
      body: { principalId: w.target, role: "read" },
    }),
  },
  "DELETE /api/v1/accounts/:id/members/:principalType/:principalId": {
    expect: A_ADMIN(204),
    call: async (w) => {
      await ensureMember(w);
      return { path: `/api/v1/accounts/${w.a}/members/user/${w.target}` };
    },
  },
  "GET /api/v1/groups": { expect: SUPER_ONLY(200), call: async () => ({ path: "/api/v1/groups" }) },
  "POST /api/v1/groups": {
    expect: SUPER_ONLY(201),
    call: async (w) => ({ path: "/api/v1/groups", body: { name: `g-${w.unique()}` } }),
  },
  "GET /api/v1/groups/:id": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/groups/${w.group}` }),
  },
  "PATCH /api/v1/groups/:id": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({
      path: `/api/v1/groups/${await w.freshGroup()}`,
      body: { description: "changed" },
    }),
  },
  "DELETE /api/v1/groups/:id": {
    expect: SUPER_ONLY(204),
    call: async (w) => ({ path: `/api/v1/groups/${await w.freshGroup()}` }),
  },
  "GET /api/v1/groups/:id/members": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/groups/${w.group}/members` }),
  },
  "POST /api/v1/groups/:id/members": {
    expect: SUPER_ONLY(204),
    call: async (w) => ({
      path: `/api/v1/groups/${await w.freshGroup()}/members`,
      body: { userId: w.target },
    }),
  },
  "DELETE /api/v1/groups/:id/members/:userId": {
    expect: SUPER_ONLY(204),
    call: async (w) => ({ path: `/api/v1/groups/${await groupWithTarget(w)}/members/${w.target}` }),
  },
  "GET /api/v1/grants": {
    expect: A_GRANTS(200),
    call: async (w) => ({ path: `/api/v1/grants?scopeType=account&scopeId=${w.a}` }),
  },
  "POST /api/v1/grants": {
    expect: A_GRANTS(200),
    call: async (w) => ({
      path: "/api/v1/grants",
      body: {
        principalType: "user",
        principalId: w.target,
        scopeType: "account",
        scopeId: w.a,
        role: "operate",
      },
    }),
  },
  "DELETE /api/v1/grants/:id": {
    expect: A_GRANTS(204),
    call: async (w) => {
      await ensureMember(w);
      const g = await w.s.svc.accounts.members(w.s.cli, w.a, { limit: 200 });
      const mine = g.items.find((m) => m.principalId === w.target);
      return { path: `/api/v1/grants/${mine?.grantId}` };
    },
  },
  "GET /api/v1/api-keys": { expect: ALL_OK, call: async () => ({ path: "/api/v1/api-keys" }) },
  "POST /api/v1/api-keys": {
    expect: [201, 201, 201, 201, 201, 201, 403],
    call: async () => ({ path: "/api/v1/api-keys", body: { name: "more", scopes: ["read"] } }),
  },
  "DELETE /api/v1/api-keys/:id": {
    // one's own key; a key narrowed to reading may not revoke keys
    expect: [204, 204, 204, 204, 204, 204, 403],
    call: async (w, who) => {
      const key = await w.s.svc.apiKeys.create(w.s.cli, {
        name: "throwaway",
        scopes: ["*"],
        userId: w.userIds[who],
      });
      return { path: `/api/v1/api-keys/${key.id}` };
    },
  },
  "GET /api/v1/audit-events": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/audit-events" }),
  },
  // domain events (modules/events): each actor lists what it may see; one of account A
  "GET /api/v1/events": { expect: ALL_OK, call: async () => ({ path: "/api/v1/events" }) },
  "GET /api/v1/events/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/events/${await eventIn(w.s.svc.db.db, w.a)}` }),
  },
  "GET /api/v1/dashboard": { expect: ALL_OK, call: async () => ({ path: "/api/v1/dashboard" }) },
  "GET /api/v1/tasks": { expect: ALL_OK, call: async () => ({ path: "/api/v1/tasks" }) },
  "POST /api/v1/tasks": {
    expect: A_GRANTS(201),
    call: async (w) => ({ path: "/api/v1/tasks", body: { kind: LINES, accountId: w.a } }),
  },
  "GET /api/v1/tasks/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w)}` }),
  },
  "PATCH /api/v1/tasks/:id": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w)}`, body: { priority: 3 } }),
  },
  "GET /api/v1/tasks/:id/logs": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w)}/logs` }),
  },
  "GET /api/v1/tasks/:id/events": {
    // a finished task: the stream sends its state and ends
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w, true)}/events` }),
  },
  "POST /api/v1/tasks/:id/run": {
    expect: A_OPERATE(200),
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w, true)}/run` }),
  },
  "POST /api/v1/tasks/:id/cancel": {
    expect: A_OPERATE(200),
    call: async (w) => ({ path: `/api/v1/tasks/${await taskOnA(w)}/cancel` }),
  },
  "GET /api/v1/nodes": { expect: GLOBAL_READ, call: async () => ({ path: "/api/v1/nodes" }) },
  "POST /api/v1/nodes": {
    expect: SUPER_ONLY(201),
    call: async (w) => ({
      path: "/api/v1/nodes",
      body: { name: `n-${w.unique()}`, agentUrl: "https://10.0.0.1:7443" },
    }),
  },
  "GET /api/v1/nodes/:id": {
    expect: GLOBAL_READ,
    call: async (w) => ({ path: `/api/v1/nodes/${await newNode(w)}` }),
  },
  "PATCH /api/v1/nodes/:id": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({
      path: `/api/v1/nodes/${await newNode(w)}`,
      body: { outbound: { allowPrivate: true } },
    }),
  },
  "POST /api/v1/nodes/:id/enrollment-token": {
    expect: SUPER_ONLY(201),
    call: async (w) => ({ path: `/api/v1/nodes/${await newNode(w)}/enrollment-token` }),
  },
  "GET /api/v1/nodes/:id/metrics": {
    expect: GLOBAL_READ,
    call: async (w) => ({ path: `/api/v1/nodes/${await newNode(w)}/metrics` }),
  },
  "POST /api/v1/nodes/:id/facts/refresh": {
    expect: SUPER_ONLY(202),
    call: async (w) => ({ path: `/api/v1/nodes/${(await siteOnA(w)).node}/facts/refresh` }),
  },
  "POST /api/v1/nodes/:id/agent-upgrade": {
    // a version no panel serves: the super user gets past the policy to the release's 404
    expect: SUPER_ONLY(404),
    call: async (w) => ({
      path: `/api/v1/nodes/${(await siteOnA(w)).node}/agent-upgrade`,
      body: { version: "9.9.9-none" },
    }),
  },
  "GET /api/v1/nodes/:id/ftp-certificate": {
    expect: GLOBAL_READ,
    call: async (w) => ({ path: `/api/v1/nodes/${await newNode(w)}/ftp-certificate` }),
  },
  "PUT /api/v1/nodes/:id/ftp-certificate": {
    expect: SUPER_ONLY(200),
    call: async (w) => {
      const { node, site } = await siteOnA(w);
      return { path: `/api/v1/nodes/${node}/ftp-certificate`, body: { site } };
    },
  },
  "POST /api/v1/nodes/:id/revoke": {
    expect: SUPER_ONLY(200),
    call: async (w) => ({ path: `/api/v1/nodes/${await newNode(w)}/revoke` }),
  },
  "GET /api/v1/sites": { expect: ALL_OK, call: async () => ({ path: "/api/v1/sites" }) },
  "POST /api/v1/sites": {
    expect: A_GRANTS(201),
    call: async (w) => {
      const { node } = await siteOnA(w);
      return {
        path: "/api/v1/sites",
        body: { node, account: w.a, kind: "static", domains: [`n-${w.unique()}.example.com`] },
      };
    },
  },
  "GET /api/v1/sites/placements": {
    expect: ALL_OK,
    call: async () => ({ path: "/api/v1/sites/placements" }),
  },
  "POST /api/v1/sites/:id/retry": {
    expect: SITE_ADMIN(200),
    call: async (w) => {
      const { site } = await siteOnA(w);
      await w.s.svc.db.db
        .updateTable("sites")
        .set({ status: "failed" })
        .where("id", "=", site)
        .execute();
      return { path: `/api/v1/sites/${site}/retry` };
    },
  },
  "POST /api/v1/sites/:id/migrate-layout": {
    // past the policy, the site's account has no main system user on its node: 409
    expect: SITE_ADMIN(409),
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}/migrate-layout` }),
  },
  "GET /api/v1/sites/:id": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}` }),
  },
  "PATCH /api/v1/sites/:id": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/sites/${(await siteOnA(w)).site}`,
      body: { aliases: [`a-${w.unique()}.example.com`] },
    }),
  },
  "DELETE /api/v1/sites/:id": {
    expect: SITE_ADMIN(202),
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}` }),
  },
  "POST /api/v1/sites/:id/suspend": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}/suspend` }),
  },
  "POST /api/v1/sites/:id/resume": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}/resume` }),
  },
  "GET /api/v1/sites/:id/protection": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}/protection` }),
  },
  "PUT /api/v1/sites/:id/protection": {
    expect: SITE_ADMIN(200),
    call: async (w) => ({
      path: `/api/v1/sites/${(await siteOnA(w)).site}/protection`,
      body: {
        paths: [{ path: "/private", users: [{ name: "alice", password: "matrix-pass-1" }] }],
      },
    }),
  },
  "GET /api/v1/sites/:id/php": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/sites/${(await siteOnA(w)).site}/php` }),
  },
  "PUT /api/v1/sites/:id/php": {
    expect: SITE_ADMIN(200),
    call: async (w) => {
      const { site } = await siteOnA(w);
      await w.s.svc.db.db
        .updateTable("sites")
        .set({ kind: "php" })
        .where("id", "=", site)
        .execute();
      return { path: `/api/v1/sites/${site}/php`, body: { settings: { memory_limit: "256M" } } };
    },
  },
};

/** Routes with their own assertions below, and better-auth's mount. */
const PUBLIC = [
  "GET /healthz",
  "GET /readyz",
  "GET /metrics",
  "GET /api/openapi.json",
  "GET /api/v1/setup",
  "POST /api/v1/setup",
  "GET /api/v1/sign-in/methods",
  "POST /api/v1/agent/enroll",
  "GET /api/v1/heartbeat/:token",
  "POST /api/v1/heartbeat/:token",
  "GET /status/:slug",
  "POST /api/v1/apps/:id/webhook",
  "GET /install/agent.sh",
  "GET /install/agent/:version/:file",
  "GET /mail/config-v1.1.xml",
  "GET /.well-known/autoconfig/mail/config-v1.1.xml",
  "POST /autodiscover/autodiscover.xml",
  "POST /Autodiscover/Autodiscover.xml",
];
const AUTH_MOUNT = ["GET /api/auth/*", "POST /api/auth/*"];

const run = async (w: World, key: string | undefined, route: string, who: ActorName) => {
  const [method = ""] = route.split(" ");
  const row = MATRIX[route];
  if (!row) throw new Error(`no matrix row for ${route}`);
  const c = await row.call(w, who);
  const res = await w.s.request(method, c.path, {
    key,
    body: c.body ?? (method === "POST" ? {} : undefined),
  });
  await c.cleanup?.().catch(() => {});
  return { res };
};

describe.each(dialects())("access matrix on %s", (dialect) => {
  const { s, w } = useTaskWorld(dialect);

  it("has a row for every registered route, and only for those", () => {
    const registered = s.routes.map((r) => `${r.method} ${r.url}`);
    const covered = [...Object.keys(MATRIX), ...PUBLIC, ...AUTH_MOUNT];
    expect(registered.filter((r) => !covered.includes(r))).toEqual([]);
    expect(covered.filter((r) => !registered.includes(r))).toEqual([]);
    const publicRoutes = s.routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([...PUBLIC, ...AUTH_MOUNT].sort());
  });

  it("gives each actor the status of its row", async () => {
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const [route, row] of Object.entries(MATRIX)) {
      const mine: Record<string, number> = {};
      for (const who of ACTORS) {
        const { res } = await run(w, w.keys[who], route, who);
        mine[who] = res.status;
        if (res.status >= 400) {
          const code = res.body?.error?.code as ErrorCode;
          expect([route, who, errorStatus[code]]).toEqual([route, who, res.status]);
        }
      }
      got[route] = mine;
      want[route] = Object.fromEntries(ACTORS.map((who, i) => [who, row.expect[i] ?? 0]));
    }
    expect(got).toEqual(want);
    // every route times seven callers, one after the other (a caller's answer may depend on
    // the one before: a create, then a conflict), on a shared 2-core machine: minutes, not 30 s
  }, 360_000);

  it("answers 401 to anonymous callers on every non-public route", async () => {
    for (const route of Object.keys(MATRIX)) {
      const { res } = await run(w, undefined, route, "noGrant");
      expect([route, res.status, res.body?.error?.code]).toEqual([route, 401, "UNAUTHENTICATED"]);
      expect(res.body.error.requestId).toBe(res.headers.get("x-request-id"));
    }
  });

  it("lists only the accounts each actor may read", async () => {
    const seen: Record<string, string[]> = {};
    for (const who of ACTORS) {
      const res = await s.request("GET", "/api/v1/accounts?limit=200", { key: w.keys[who] });
      seen[who] = res.body.items.map((a: { id: string }) => a.id).sort();
    }
    const both = [w.a, w.b].sort();
    expect(seen).toEqual({
      super: both,
      accountAdmin: [w.a],
      operator: [w.a],
      reader: [w.a],
      noGrant: [],
      otherAdmin: [w.b],
      narrowKey: both,
    });
  });

  it("shows audit events to super users, account admins of the account, and their authors", async () => {
    const headers = { "x-request-id": `audit-probe-${dialect}` };
    await s.request("PATCH", `/api/v1/accounts/${w.a}`, {
      key: w.keys.super,
      body: { name: "Account acc-a" },
      headers,
    });
    await s.request("POST", "/api/v1/accounts", {
      key: w.keys.noGrant,
      body: { slug: "nope", name: "Nope" },
      headers,
    });
    const adminOf: Record<ActorName, string[]> = {
      super: [],
      accountAdmin: [w.a],
      operator: [],
      reader: [],
      noGrant: [],
      otherAdmin: [w.b],
      narrowKey: [],
    };
    const probes: Record<string, string[]> = {};
    for (const who of ACTORS) {
      const res = await s.request("GET", "/api/v1/audit-events?limit=200", { key: w.keys[who] });
      expect(res.status).toBe(200);
      const items = res.body.items as AuditEvent[];
      if (who !== "super") {
        const foreign = items.filter(
          (e) => e.actorId !== w.keyIds[who] && !adminOf[who].includes(e.accountId ?? ""),
        );
        expect([who, foreign]).toEqual([who, []]);
      }
      probes[who] = items
        .filter((e) => e.requestId === headers["x-request-id"])
        .map((e) => `${e.action}:${e.outcome}`)
        .sort();
    }
    expect(probes).toEqual({
      super: ["account.create:denied", "account.update:success"],
      accountAdmin: ["account.update:success"],
      operator: [],
      reader: [],
      noGrant: ["account.create:denied"],
      otherAdmin: [],
      narrowKey: [],
    });
  });

  it("lets an explicit none on an account block an inherited global grant", async () => {
    const u = await s.createUser(`global-reader-${dialect}@example.com`);
    const grant = (scopeType: "global" | "account", scopeId: string | null, role: Role) =>
      s.svc.grants.set(s.cli, {
        principalType: "user",
        principalId: u.id,
        scopeType,
        scopeId,
        role,
      });
    await grant("global", null, "read");
    await grant("account", w.a, "none");
    const key = await s.apiKey(u.id);
    expect((await s.request("GET", `/api/v1/accounts/${w.a}`, { key })).status).toBe(404);
    expect((await s.request("GET", `/api/v1/accounts/${w.b}`, { key })).status).toBe(200);
    const list = await s.request("GET", "/api/v1/accounts?limit=200", { key });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([w.b]);
  });

  it("grants through a group to its members, whatever the member's own none", async () => {
    const member = await s.createUser(`group-member-${dialect}@example.com`);
    const group = await w.freshGroup();
    await s.svc.groups.addMember(s.cli, group, member.id);
    await s.svc.grants.set(s.cli, {
      principalType: "group",
      principalId: group,
      scopeType: "account",
      scopeId: w.b,
      role: "admin",
    });
    const key = await s.apiKey(member.id);
    expect((await s.request("GET", `/api/v1/accounts/${w.b}`, { key })).status).toBe(200);
    const patch = { key, body: { name: "Account acc-b" } };
    expect((await s.request("PATCH", `/api/v1/accounts/${w.b}`, patch)).status).toBe(200);
    expect((await s.request("GET", `/api/v1/accounts/${w.a}`, { key })).status).toBe(404);
    // the highest role among the user and its groups wins: the user's own none is one of them
    await s.svc.grants.set(s.cli, {
      principalType: "user",
      principalId: member.id,
      scopeType: "account",
      scopeId: w.b,
      role: "none",
    });
    expect((await s.request("PATCH", `/api/v1/accounts/${w.b}`, patch)).status).toBe(200);
    // out of the group, nothing is left
    await s.svc.groups.removeMember(s.cli, group, member.id);
    expect((await s.request("GET", `/api/v1/accounts/${w.b}`, { key })).status).toBe(404);
    const list = await s.request("GET", "/api/v1/accounts", { key });
    expect(list.body.items).toEqual([]);
  });

  it("caps a key scoped to one account at that account and role", async () => {
    const key = await s.apiKey(w.userIds.super, [`account:${w.a}:read`]);
    const list = await s.request("GET", "/api/v1/accounts?limit=200", { key });
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([w.a]);
    expect((await s.request("GET", `/api/v1/accounts/${w.a}`, { key })).status).toBe(200);
    expect((await s.request("GET", `/api/v1/accounts/${w.b}`, { key })).status).toBe(404);
    const rename = { key, body: { name: "Account acc-a" } };
    expect((await s.request("PATCH", `/api/v1/accounts/${w.a}`, rename)).status).toBe(403);
    expect((await s.request("GET", "/api/v1/users", { key })).status).toBe(403);
    const create = { key, body: { name: "escape", scopes: ["*"] } };
    expect((await s.request("POST", "/api/v1/api-keys", create)).status).toBe(403);
  });

  it("lets a key read its own user; changing it needs a key that is not narrowed", async () => {
    const self = `/api/v1/users/${w.userIds.reader}`;
    const key = w.keys.reader;
    expect((await s.request("GET", self, { key })).body.email).toBe("reader@example.com");
    expect((await s.request("PATCH", self, { key, body: { name: "Reader" } })).status).toBe(200);
    const narrow = await s.apiKey(w.userIds.reader, ["read"]);
    expect((await s.request("GET", self, { key: narrow })).status).toBe(200);
    expect((await s.request("PATCH", self, { key: narrow, body: { name: "R" } })).status).toBe(403);
    const disable = { key, body: { disabled: true } };
    expect((await s.request("PATCH", self, disable)).status).toBe(403);
    const superSelf = `/api/v1/users/${w.userIds.super}`;
    const rename = { key: w.keys.narrowKey, body: { name: "Super" } };
    expect((await s.request("PATCH", superSelf, rename)).status).toBe(403);
  });

  it("refuses an account admin every way out of its account", async () => {
    const key = w.keys.accountAdmin;
    const grant = (
      scopeType: string,
      scopeId: string | null,
      principalId = w.userIds.accountAdmin,
    ) => ({
      key,
      body: { principalType: "user", principalId, scopeType, scopeId, role: "admin" },
    });
    const attempts: [string, string, { key: string; body?: unknown }][] = [
      ["POST", "/api/v1/grants", grant("global", null)],
      ["POST", "/api/v1/grants", grant("account", w.b)],
      ["POST", "/api/v1/grants", grant("resource", "site:x")],
      ["GET", "/api/v1/grants", { key }],
      ["GET", `/api/v1/grants?scopeType=account&scopeId=${w.b}`, { key }],
      ["POST", "/api/v1/groups/super/members", { key, body: { userId: w.userIds.accountAdmin } }],
      ["POST", "/api/v1/api-keys", { key, body: { name: "x", userId: w.userIds.super } }],
      ["GET", `/api/v1/api-keys?userId=${w.userIds.super}`, { key }],
      ["PATCH", `/api/v1/users/${w.userIds.accountAdmin}`, { key, body: { disabled: false } }],
    ];
    for (const [method, path, opts] of attempts) {
      const res = await s.request(method, path, opts);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    const superGroup = {
      key,
      body: { principalType: "group", principalId: "super", role: "admin" },
    };
    const res = await s.request("POST", `/api/v1/accounts/${w.a}/members`, superGroup);
    expect([res.status, res.body.error.details?.[0]?.field]).toEqual([400, "principalId"]);
    const theirs = await s.svc.grants.list(s.cli, {
      scopeType: "account",
      scopeId: w.b,
      limit: 10,
    });
    const other = theirs.items[0]?.id;
    expect((await s.request("DELETE", `/api/v1/grants/${other}`, { key })).status).toBe(403);
  });

  it("serves the public routes to anyone", async () => {
    for (const key of [undefined, w.keys.noGrant]) {
      expect((await s.request("GET", "/healthz", { key })).body).toEqual({ status: "ok" });
      const ready = await s.request("GET", "/readyz", { key });
      expect([ready.status, ready.body.status]).toEqual([200, "ready"]);
      const metrics = await s.request("GET", "/metrics", { key });
      expect([metrics.status, String(metrics.body).includes("steward_")]).toEqual([200, true]);
      const openapi = await s.request("GET", "/api/openapi.json", { key });
      expect(Object.keys(openapi.body.paths)).toContain("/api/v1/accounts/{id}");
      const setup = await s.request("GET", "/api/v1/setup", { key });
      expect(setup.body).toEqual({ required: false });
      const methods = await s.request("GET", "/api/v1/sign-in/methods", { key });
      expect(methods.body).toEqual({ password: true, github: false });
    }
    const again = await s.request("POST", "/api/v1/setup", {
      body: { token: "whatever", email: "late@example.com", password: PASSWORD },
    });
    expect([again.status, again.body.error.code]).toEqual([409, "ALREADY_SET_UP"]);
    const enroll = await s.request("POST", "/api/v1/agent/enroll", {
      body: { token: "t".repeat(43), csr: "x".repeat(120) },
    });
    expect([enroll.status, enroll.body.error.details[0].field]).toEqual([400, "csr"]);
    for (const method of ["GET", "POST"]) {
      const beat = await s.request(method, `/api/v1/heartbeat/${"h".repeat(43)}`);
      expect([beat.status, beat.body.error.code]).toEqual([404, "NOT_FOUND"]);
    }
    // a status page that does not exist: a bare 404 (status-pages.test.ts has the rest)
    const status = await s.request("GET", "/status/no-such-page");
    expect([status.status, status.body]).toEqual([404, "Not found"]);
    // the installer and the agent's builds: public code (agent-install.e2e.test.ts has the rest)
    const installer = await s.request("GET", "/install/agent.sh");
    expect([installer.status, String(installer.body).startsWith("#!/bin/sh\n")]).toEqual([
      200,
      true,
    ]);
    const build = await s.request("GET", "/install/agent/9.9.9-none/steward-agent-linux-x64");
    expect([build.status, build.body.error.code]).toEqual([404, "NOT_FOUND"]);
    // mail clients' autoconfiguration: the same 404 for a name the panel does not serve
    // (modules/mail/autoconfig.test.ts has the rest)
    for (const path of ["/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"]) {
      const tb = await s.request("GET", `${path}?emailaddress=a%40unserved.example.org`);
      expect([tb.status, tb.body.error.code]).toEqual([404, "NOT_FOUND"]);
    }
    for (const path of ["/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"]) {
      const body = "<Request><EMailAddress>a@unserved.example.org</EMailAddress></Request>";
      const headers = { "content-type": "text/xml" };
      const ol = await s.request("POST", path, { body, headers });
      expect([ol.status, ol.body.error.code]).toEqual([404, "NOT_FOUND"]);
    }
  });
});
