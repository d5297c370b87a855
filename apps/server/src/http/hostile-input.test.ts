// Hostile input where it enters: every endpoint that takes a body, a query or a path
// parameter gets SQL fragments, control characters, huge and mistyped values, unknown fields,
// broken JSON and wrong media types. Each must be a 4xx in the API's error shape naming the
// field, and must change nothing in the database.
import { appComposeCreate } from "@steward/contracts/apps";
import { monitorCreate } from "@steward/contracts/monitors";
import { ruleSettings } from "@steward/contracts/notifications";
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot, type World } from "../testing/fixtures.ts";
import { PASSWORD, type TestServer } from "../testing/harness.ts";
import { enc, expected, Raw, rawHttp, refusal, SQL } from "../testing/hostile.ts";
import { appCases } from "../testing/hostile-app-cases.ts";
import { autoconfigCases } from "../testing/hostile-autoconfig-cases.ts";
import { backupCases } from "../testing/hostile-backup-cases.ts";
import { backupExplorerCases } from "../testing/hostile-backup-explorer-cases.ts";
import { backupPlanCases } from "../testing/hostile-backup-plan-cases.ts";
import { cases as baseCases, type Case, V, withField } from "../testing/hostile-cases.ts";
import {
  certificateCases,
  type HostileCertificates,
} from "../testing/hostile-certificate-cases.ts";
import { cmsCases } from "../testing/hostile-cms-cases.ts";
import { cmsToolCases } from "../testing/hostile-cms-tool-cases.ts";
import { cmsUpdateCases } from "../testing/hostile-cms-update-cases.ts";
import { composeCases } from "../testing/hostile-compose-cases.ts";
import { cronCases } from "../testing/hostile-cron-cases.ts";
import { databaseCases, databaseItemCases } from "../testing/hostile-database-cases.ts";
import { databaseConsoleCases } from "../testing/hostile-database-console-cases.ts";
import { dnsRouteCases, type HostileDns } from "../testing/hostile-dns-cases.ts";
import { dnsProviderCases } from "../testing/hostile-dns-provider-cases.ts";
import { eventCases } from "../testing/hostile-event-cases.ts";
import { firewallCases } from "../testing/hostile-firewall-cases.ts";
import { gitAppCases } from "../testing/hostile-git-app-cases.ts";
import { githubCases } from "../testing/hostile-github-cases.ts";
import { type HostileMail, mailRouteCases } from "../testing/hostile-mail-cases.ts";
import { monitorCases } from "../testing/hostile-monitor-cases.ts";
import { type HostileNode, nodeCases } from "../testing/hostile-node-cases.ts";
import { notificationCases } from "../testing/hostile-notification-cases.ts";
import { ruleCases } from "../testing/hostile-rule-cases.ts";
import { type HostileSites, siteCases } from "../testing/hostile-site-cases.ts";
import { siteSettingsCases } from "../testing/hostile-site-settings-cases.ts";
import { sortCases } from "../testing/hostile-sort-cases.ts";
import { statusPageCases } from "../testing/hostile-status-page-cases.ts";
import { sysUserCases } from "../testing/hostile-sysusers-cases.ts";
import { type HostileTasks, taskCases } from "../testing/hostile-task-cases.ts";
import { tunnelCases } from "../testing/hostile-tunnel-cases.ts";
import { LINES, registerTestKinds } from "../testing/task-kinds.ts";
import { useServer, useWorld } from "../testing/use-server.ts";

const send = (
  s: TestServer,
  key: string | undefined,
  method: string,
  path: string,
  body: unknown,
) =>
  body instanceof Raw
    ? s.request(method, path, {
        key,
        body: body.text,
        headers: { "content-type": body.contentType },
      })
    : s.request(method, path, { key, body });

const NO_INPUT = [
  "GET /api/v1/me",
  "GET /api/v1/app-catalog",
  "GET /api/v1/dashboard",
  "GET /api/v1/sites/placements",
  "GET /api/v1/message-templates",
  "GET /api/v1/notification-settings",
  "GET /api/v1/certificates/panel",
  "POST /api/v1/certificates/panel/renew",
  "GET /api/v1/cms-sites/connector/wordpress.zip",
  "GET /api/v1/github/app",
  "GET /api/v1/github/sign-in",
  "POST /api/v1/github/app/test",
  "GET /api/v1/github/app/installations",
  "DELETE /api/v1/github/app",
  "GET /api/v1/tunnels",
];

/** Cases sent between two snapshots of the tables. */
const CHUNK = 25;

describe.each(dialects())("hostile input on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let tasks: HostileTasks;
  let node: HostileNode;
  let sites: HostileSites;
  let channel: string;
  let monitor: string;
  let certs: HostileCertificates;
  let rule: string;
  let dns: HostileDns;
  let mail: HostileMail;
  let statusPage: { id: string; incident: string };
  let stack: string;
  const cases = (world: World) => [
    ...dnsRouteCases(dns),
    ...mailRouteCases(mail),
    ...autoconfigCases(),
    ...certificateCases(certs),
    ...dnsProviderCases(world.a),
    ...cmsCases(world.a),
    ...cmsUpdateCases(world.a),
    ...cmsToolCases(world.a),
    ...githubCases(world.a),
    ...tunnelCases(),
    ...baseCases(world),
    ...taskCases(world, tasks),
    ...nodeCases(node),
    ...siteCases(world, sites),
    ...siteSettingsCases(sites.site),
    ...sortCases(),
    ...eventCases(),
    ...notificationCases(world, channel),
    ...monitorCases(monitor),
    ...ruleCases(world, channel, rule),
    ...statusPageCases(statusPage),
    ...appCases(world.a, sites.node),
    ...gitAppCases(world.a, sites.node),
    ...sysUserCases(world.a, sites.node),
    ...firewallCases(sites.node),
    ...cronCases(world.a),
    ...composeCases(world.a, sites.node, stack),
  ];
  beforeAll(async () => {
    registerTestKinds(s.svc.engine.registry);
    const task = async () =>
      (await s.svc.engine.enqueue({ kind: LINES, payload: {}, accountId: w.a })).task.id;
    tasks = { queued: await task(), finished: await task() };
    node = await s.svc.nodes.create(s.cli, {
      name: "target-node",
      agentUrl: "https://10.0.0.2:7443",
    });
    await s.svc.db.db
      .updateTable("tasks")
      .set({ state: "succeeded", enabled: 0 })
      .where("id", "=", tasks.finished)
      .execute();
    const web = await s.svc.nodes.create(s.cli, {
      name: "web-node",
      agentUrl: "https://10.0.0.3:7443",
    });
    await s.svc.db.db
      .updateTable("nodes")
      .set({ state: "trusted" })
      .where("id", "=", web.id)
      .execute();
    const site = await s.svc.sites.create(s.cli, {
      node: web.id,
      account: w.a,
      kind: "static",
      domains: ["hostile-target.example.com"],
      aliases: [],
      redirect: "none",
      root: "public",
    });
    sites = { node: web.id, site: site.id };
    stack = (
      await s.svc.appCompose.create(
        s.cli,
        appComposeCreate.parse({
          account: w.a,
          node: web.id,
          compose: "services:\n  web:\n    image: localhost/steward-httpd:latest\n",
        }),
      )
    ).id;
    const hook = { kind: "webhook" as const, url: "https://hooks.example.com/t", headers: {} };
    channel = (
      await s.svc.channels.create(s.cli, {
        name: "hostile-target",
        account: w.a,
        enabled: true,
        settings: { ...hook, secret: "whsec_0123456789abcdef" },
      })
    ).id;
    monitor = (
      await s.svc.monitors.create(
        s.cli,
        monitorCreate.parse({
          name: "hostile target",
          account: w.a,
          settings: { kind: "heartbeat" },
        }),
      )
    ).id;
    const certificate = await s.svc.certificates.request(s.cli, {
      site: site.id,
      keyType: "ecdsa-p256",
      wildcard: false,
      hsts: false,
    });
    certs = { site: site.id, certificate: certificate.id };
    // DNS zones (issue 13): a zone of account A on the web node, with one A record
    const zone = await s.svc.dns.create(s.cli, {
      name: "hostile-target.example.org",
      node: web.id,
      account: w.a,
      records: [
        { name: "@", type: "NS", ttl: 3600, value: "ns1.example.net." },
        { name: "www", type: "A", ttl: 3600, value: "192.0.2.1" },
      ],
    });
    const zoneRecords = await s.svc.dns.records(s.cli, zone.id);
    dns = { node: web.id, zone: zone.id, record: zoneRecords.items[1]?.id ?? "" };
    // mail (issue 18): a domain of account A on the web node, with one mailbox
    const mailDomain = await s.svc.mail.create(s.cli, {
      name: "hostile-target.example.net",
      node: web.id,
      account: w.a,
    });
    const mailbox = await s.svc.mail.createMailbox(s.cli, mailDomain.id, {
      localPart: "target",
      password: "target-password-1",
      quotaMb: 0,
      enabled: true,
    });
    mail = { node: web.id, domain: mailDomain.id, mailbox: mailbox.id };
    const page = await s.svc.statusPages.create(s.cli, {
      account: w.a,
      slug: "hostile-target",
      title: "Status",
      description: "",
      monitors: [],
    });
    const incident = await s.svc.statusPages.addIncident(s.cli, page.id, {
      title: "Slow",
      body: "",
      severity: "minor",
    });
    statusPage = { id: page.id, incident: incident.id };
    rule = (
      await s.svc.rules.create(s.cli, {
        name: "hostile-rule",
        account: w.a,
        enabled: true,
        settings: ruleSettings.parse({ eventTypes: ["site."] }),
        channels: [channel],
      })
    ).id;
  });

  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    const wrong: unknown[] = [];
    const all = cases(w);
    // the tables are compared around each run of CHUNK cases (two snapshots of every table per
    // case made this file the slowest of the suite); a run that changed anything is reported
    // with the cases it held
    for (let i = 0; i < all.length; i += CHUNK) {
      const before = await snapshot(s);
      const labels: string[] = [];
      for (const [method, path, body, status, code, field, says] of all.slice(i, i + CHUNK)) {
        const res = await send(s, w.keys.super, method, path, body);
        const label = `${method} ${path.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 120)}`;
        labels.push(label);
        const got = refusal(res, field);
        const want = expected(status, code, field);
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ label, got, want });
        if (says && !JSON.stringify(res.body).includes(says))
          wrong.push({ label, says, res: res.body });
      }
      const after = await snapshot(s);
      const changed = Object.keys(after).filter(
        (t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]),
      );
      if (changed.length) wrong.push({ oneOf: labels, changed });
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("has hostile cases for every route that takes input", () => {
    // the database servers' cases run in modules/databases/servers-api.test.ts, the SQL
    // console's in modules/databases/console/console-api.test.ts, the backup destinations' in
    // modules/backups/destinations-api.test.ts, the backup plans' in modules/backups/plans-hostile.test.ts,
    // the storage explorer's in modules/backups/explorer-api.test.ts
    const all = [
      ...cases(w),
      ...databaseCases("dbs_x"),
      ...databaseItemCases("dbs_x"),
      ...databaseConsoleCases("dbd_x"),
      ...backupCases("bkd_x", "acc_x"),
      ...backupExplorerCases("bkd_x", "bka_x"),
      ...backupPlanCases({
        account: "acc_x",
        node: "nod_x",
        source: "bks_x",
        destination: "bkd_x",
        plan: "bkp_x",
      }),
    ];
    const hit = (method: string, url: string) => {
      const pattern = new RegExp(`^${url.replace(/:[A-Za-z]+/g, "[^/?]+")}(\\?|$)`);
      return all.some(([m, path]) => m === method && pattern.test(path));
    };
    const missing = s.routes
      // these take no input at all
      .filter((r) => !r.public && !NO_INPUT.includes(`${r.method} ${r.url}`))
      .filter((r) => !hit(r.method, r.url))
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    expect(s.routes.length).toBeGreaterThan(30);
  });

  it("treats SQL and LIKE wildcards in free-text filters as text", async () => {
    const before = await snapshot(s);
    const filters = [
      ...[...SQL, "%", "_", "\\"].map((q) => `/api/v1/accounts?q=${enc(q)}`),
      ...[...SQL, "%"].map((q) => `/api/v1/users?q=${enc(q)}`),
      ...SQL.map((q) => `/api/v1/grants?scopeId=${enc(q)}`),
      ...[...SQL, "%", "_"].map((q) => `/api/v1/groups?q=${enc(q)}`),
      ...SQL.map((q) => `/api/v1/audit-events?target=${enc(q)}`),
      ...[...SQL, "%", "_", "\\"].map((q) => `/api/v1/monitors?q=${enc(q)}`),
      ...[...SQL, "%", "_", "\\"].map((q) => `/api/v1/apps?q=${enc(q)}`),
    ];
    for (const path of filters) {
      const res = await s.request("GET", path, { key: w.keys.super });
      expect([path, res.status, res.body.items]).toEqual([path, 200, []]);
    }
    expect(await snapshot(s)).toEqual(before);
    const all = await s.request("GET", "/api/v1/accounts", { key: w.keys.super });
    expect(all.body.items).toHaveLength(2);
  });

  it("refuses hostile bodies on first-run setup too", async () => {
    const before = await snapshot(s);
    const setup = { token: "tok", email: "first@example.com", password: PASSWORD };
    const attempts: Case[] = [
      ["POST", "/api/v1/setup", withField(setup, "token", SQL[0]), 400, V, "body.token"],
      [
        "POST",
        "/api/v1/setup",
        withField(setup, "email", "fir\nst@example.com"),
        400,
        V,
        "body.email",
      ],
      ["POST", "/api/v1/setup", withField(setup, "super", false), 400, V, "body.super"],
      ["POST", "/api/v1/setup", new Raw("application/json", "{"), 400, "BAD_REQUEST", "body"],
      ["POST", "/api/v1/setup", new Raw("text/plain", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "body"],
      ["POST", "/api/v1/setup", setup, 409, "ALREADY_SET_UP", ""],
    ];
    for (const [method, path, body, status, code, field] of attempts) {
      const res = await send(s, undefined, method, path, body);
      expect(refusal(res, field)).toEqual(expected(status, code, field));
    }
    expect(await snapshot(s)).toEqual(before);
  });

  it("refuses hostile credentials without a hint of why beyond the shape", async () => {
    const bad = [
      `Bearer ${SQL[0]}`,
      `Bearer ${"a".repeat(10_000)}`,
      "Basic YTpi",
      "Bearer stw_notakey",
    ];
    for (const authorization of bad) {
      const res = await s.request("GET", "/api/v1/me", { headers: { authorization } });
      expect(refusal(res, "")).toEqual(expected(401, "UNAUTHENTICATED", ""));
    }
    const cookie = `steward.session_token=${enc(SQL[1])}`;
    const res = await s.request("GET", "/api/v1/me", { headers: { cookie } });
    expect(refusal(res, "")).toEqual(expected(401, "UNAUTHENTICATED", ""));
  });

  it("echoes a sane X-Request-Id and replaces a hostile one", async () => {
    const ok = await s.request("GET", "/api/v1/nowhere", {
      headers: { "x-request-id": "abc-123" },
    });
    expect([ok.headers.get("x-request-id"), ok.body.error.requestId]).toEqual([
      "abc-123",
      "abc-123",
    ]);
    const health = await s.request("GET", "/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(health.headers.get("x-request-id")).toBe("abc-123");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const hostile of [
      "a".repeat(500),
      "abc def",
      "abc<script>",
      `abc${SQL[0]}`,
      "abc\u00e9",
    ]) {
      const res = await s.request("GET", "/api/v1/nowhere", {
        headers: { "x-request-id": hostile },
      });
      const id = res.headers.get("x-request-id") ?? "";
      expect([hostile, uuid.test(id), res.body.error.requestId]).toEqual([hostile, true, id]);
    }
    for (const hostile of [
      "abc\nX-Injected: 1",
      "abc\r\n X-Injected: 1",
      "abc\rdef",
      "abc\u0000def",
    ]) {
      const res = await rawHttp(
        s.url,
        `GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Request-Id: ${hostile}\r\n\r\n`,
      );
      expect(refusal(res, "")).toEqual(expected(400, "BAD_REQUEST", ""));
      expect(res.headers.get("x-injected")).toBeNull();
      expect(uuid.test(res.headers.get("x-request-id") ?? "")).toBe(true);
    }
  });
});
