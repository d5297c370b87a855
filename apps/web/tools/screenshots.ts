// `node tools/run.mjs node apps/web/tools/screenshots.ts [outDir]`: every console page in
// light and dark theme, at a narrow (390 px) and a wide (1440 px) window, as PNG files, to
// look at after a change (a third argument, a pattern, takes only the pages it matches). Seeds a little data so pages are not all empty.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { launchChromium, PASSWORD, startPanel } from "../e2e/harness.ts";
import { seedEvents } from "./seed-events.ts";
import { seedMonitorHistory } from "./seed-monitor.ts";
import { seedMonitoring } from "./seed-monitoring.ts";

const out = process.argv[2] ?? "/tmp/steward-shots";
mkdirSync(out, { recursive: true });
const panel = await startPanel();
const key = await panel.setupSuper("admin@example.com");
const post = (path: string, body: unknown) => panel.api("POST", path, { key, body });
await post("/api/v1/users", { email: "ops@example.com", password: PASSWORD, name: "Ops person" });
const account = await post("/api/v1/accounts", { slug: "acme", name: "Acme Hosting" });
const group = await post("/api/v1/groups", { name: "operators" });
await post("/api/v1/grants", {
  principalType: "group",
  principalId: group.body?.id,
  scopeType: "account",
  scopeId: account.body?.id,
  role: "operate",
});
const task = await post("/api/v1/tasks", { kind: "noop", payload: { message: "hello" } });
const node = await post("/api/v1/nodes", { name: "web-1", agentUrl: "https://10.0.0.5:7443" });
// a trusted node without a real agent (enrollment is shown by the tests): set in the database
const sqlite = new DatabaseSync(join(panel.dataDir, "steward.db"));
sqlite
  .prepare("update nodes set state = 'trusted', cert_fingerprint = ? where id = ?")
  .run("0".repeat(64), node.body?.id);
sqlite.close();
const site = await post("/api/v1/sites", {
  node: node.body?.id,
  domains: ["shop.example.com"],
  kind: "static",
});

// a few events, as the producers record them (a failed site, its node lost and back, a task)
seedEvents(join(panel.dataDir, "steward.db"), {
  siteId: String(site.body?.id),
  nodeId: String(node.body?.id),
  accountId: site.body?.accountId ?? null,
});

// a channel of the account (its host does not resolve: its test fails, as shown) and an
// installation-wide one
const hook = await post("/api/v1/notification-channels", {
  name: "ops webhook",
  account: account.body?.id,
  settings: {
    kind: "webhook",
    url: "https://hooks.example.invalid/steward",
    secret: "whsec_0123456789abcdef",
  },
});
await post(`/api/v1/notification-channels/${hook.body?.id}/test`, {});
const phone = await post("/api/v1/notification-channels", {
  name: "on-call phone",
  settings: { kind: "ntfy", topic: "steward-oncall" },
});
// monitors (their targets do not resolve: checked, they go down) with seeded checks, a rule
const monitors = [];
for (const [name, settings] of [
  ["shop front", { kind: "http", url: "https://shop.example.invalid/health" }],
  ["api", { kind: "http", url: "https://api.example.invalid/", keyword: { text: "ok" } }],
  ["nightly backup", { kind: "heartbeat" }],
] as const)
  monitors.push(
    (await post("/api/v1/monitors", { name, settings, account: account.body?.id, paused: true }))
      .body?.id,
  );
await post("/api/v1/notification-rules", {
  name: "monitors to on-call",
  settings: {
    eventTypes: ["monitor."],
    minSeverity: "warning",
    repeatMinutes: 30,
    groupSeconds: 60,
    quietHours: { start: "22:00", end: "07:00", timeZone: "Europe/Berlin" },
  },
  channels: [phone.body?.id],
});
seedMonitoring(join(panel.dataDir, "steward.db"), {
  monitorIds: monitors.map(String),
  channelId: String(phone.body?.id),
});

// a monitor with a day of checks (a down spell six hours ago) and 89 days rolled up before it
const monitor = await post("/api/v1/monitors", {
  name: "shop health",
  settings: { kind: "heartbeat", graceSeconds: 60 },
  paused: true,
});
seedMonitorHistory(join(panel.dataDir, "steward.db"), String(monitor.body?.id));

// a DNS zone from the template with the site's record, and a status page with an incident
const zone = await post("/api/v1/dns/zones", {
  name: "example.com",
  node: node.body?.id,
  template: { nameservers: ["ns1.example.net.", "ns2.example.net."], ipv4: "192.0.2.10" },
});
await post(`/api/v1/dns/zones/${zone.body?.id}/records`, {
  name: "shop",
  type: "A",
  ttl: 300,
  value: "192.0.2.10",
});
const statusPage = await post("/api/v1/status-pages", {
  account: account.body?.id,
  slug: "acme",
  title: "Acme status",
  description: "The shop and its API, checked every minute.",
  monitors: [
    { monitor: monitors[0], name: "Web shop" },
    { monitor: monitors[1], name: "API" },
  ],
});
await post(`/api/v1/status-pages/${statusPage.body?.id}/incidents`, {
  title: "Slow checkout",
  body: "We are **on it**: payments take up to 30 s.\n\n- cause: a slow payment provider\n- [their status](https://status.example.com)",
  severity: "major",
});

// a backup plan of the node's directory and one artifact it stored (no agent runs it here: the
// artifact's row is written as a run records it), for the artifact's page and its restore wizard
const source = await post("/api/v1/backup-sources", {
  name: "shop files",
  accountId: site.body?.accountId,
  source: { kind: "files", nodeId: node.body?.id, path: "/srv/www/shop" },
});
const destination = await post("/api/v1/backup-destinations", {
  name: "web-1 disk",
  accountId: site.body?.accountId,
  settings: { kind: "local", nodeId: node.body?.id, path: "/var/backups/steward" },
  saveAnyway: true,
});
const plan = await post("/api/v1/backup-plans", {
  name: "shop nightly",
  accountId: site.body?.accountId,
  sourceIds: [source.body?.id],
  destinationIds: [destination.body?.id],
  schedule: "0 3 * * *",
  encryption: { mode: "panel" },
});
const started = await post(`/api/v1/backup-plans/${plan.body?.id}/run`, {});
const artifactId = "bka_0000000000screenshot0001";
const backupDb = new DatabaseSync(join(panel.dataDir, "steward.db"));
backupDb
  .prepare(
    `insert into backup_artifacts (id, account_id, run_id, plan_id, source_id, destination_id, name,
      bytes, sha256, source_description, verified, verified_at, verify_error, verify_checked_at,
      deleted_at, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, null, ?, ?, null, ?)`,
  )
  .run(
    artifactId,
    String(site.body?.accountId),
    String(started.body?.runs?.[0]?.runId),
    String(plan.body?.id),
    String(source.body?.id),
    String(destination.body?.id),
    `srv-www-shop-${started.body?.runs?.[0]?.runId}.tar.zst.enc`,
    48_211_337,
    "9f2c1e6b0d7a4c3e8b5f1a2d6c9e0b7a4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a",
    "/srv/www/shop",
    "the test restore failed: the node web-1 could not be reached",
    Date.now() - 3_600_000,
    Date.now() - 86_400_000,
  );
backupDb.close();

const pages = [
  ["sign-in", "/sign-in", false],
  ["dashboard", "/", true],
  ["tasks", "/tasks", true],
  ["task-detail", `/tasks/${task.body?.id}`, true],
  ["audit", "/audit", true],
  ["events", "/events", true],
  ["events-filtered", "/events?severity=critical&type=site.", true],
  ["accounts", "/accounts", true],
  ["account-detail", `/accounts/${account.body?.id}`, true],
  ["users", "/users", true],
  ["groups", "/groups", true],
  ["group-detail", `/groups/${group.body?.id}`, true],
  ["grants", "/grants", true],
  ["profile", "/profile", true],
  ["nodes", "/nodes", true],
  ["node-detail", `/nodes/${node.body?.id}`, true],
  ["sites", "/sites", true],
  // a list sorted from its header (the header shows the order)
  ["sites-sorted", "/sites?sort=-name", true],
  ["site-detail", `/sites/${site.body?.id}`, true],
  ["channels", "/channels", true],
  ["templates", "/templates", true],
  ["monitors", "/monitors", true],
  ["rules", "/rules", true],
  ["channel-deliveries", `/channels/${phone.body?.id}/deliveries`, true],
  ["monitor-detail", `/monitors/${monitor.body?.id}`, true],
  ["dns", "/dns", true],
  ["github-templates", "/github-templates", true],
  ["tunnels", "/tunnels", true],
  ["dns-zone", `/dns/${zone.body?.id}`, true],
  ["status-pages", "/status-pages", true],
  ["status-page-detail", `/status-pages/${statusPage.body?.id}`, true],
  ["status-public", "/status/acme", true],
  ["backup-artifact", `/backups/artifacts/${artifactId}`, true],
] as const;
/** only the pages whose name matches (the second argument), when one is given */
const only = process.argv[3] ? new RegExp(process.argv[3]) : null;

const browser = await launchChromium();
try {
  for (const theme of ["light", "dark"] as const) {
    for (const width of [390, 1440]) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme: theme,
      });
      const page = await context.newPage();
      await page.goto(`${panel.url}/sign-in`);
      await page.evaluate((t) => localStorage.setItem("steward.theme", t), theme);
      for (const [name, path, signedIn] of pages) {
        if (only && !only.test(name) && name !== "sign-in") continue;
        if (signedIn && page.url().includes("/sign-in")) {
          await page.getByLabel("Email").fill("admin@example.com");
          await page.getByLabel("Password").fill(PASSWORD);
          await page.getByRole("button", { name: "Sign in", exact: true }).click();
          await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
        }
        await page.goto(panel.url + path);
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(300);
        await page.screenshot({ path: `${out}/${name}-${theme}-${width}.png`, fullPage: true });
      }
      await context.close();
    }
  }
  process.stderr.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await panel.close();
}
