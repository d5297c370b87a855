// A real `steward serve` for the `steward state` tests: a super user (through the setup
// token) and an account admin with their API keys, made through its API, and node web-1
// (marked trusted and pinned in the SQLite file: enrollment is the node tests' subject, and a
// state only names its nodes);
// the resources the tests export, and their temporary state directories.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { freePort } from "@steward/testkit";
import { captureOutput, cliFor, PASSWORD, spawnServe, tempDataDir } from "./cli.ts";
import { until } from "./local-agent.ts";
import { populateHosting } from "./state-hosting.ts";

export const started: ChildProcess[] = [];

/** env: more of the panel's settings (an outbound allow list for a local database server) */
export async function statePanel(env: Record<string, string> = {}) {
  const dataDir = tempDataDir("steward-state-panel-");
  const port = await freePort();
  const child = spawnServe(dataDir, port, {
    STEWARD_MASTER_KEY: randomBytes(32).toString("base64"),
    STEWARD_LOG_LEVEL: "info",
    ...env,
  });
  started.push(child);
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  // the first super user through the setup token, its key through a session: no CLI process
  const token = await until(
    "the setup token",
    () => /setup\?token=([\w-]+)/.exec(output.stdout + output.stderr)?.[1],
  );
  const json = { "content-type": "application/json", origin: url };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
    });
  const setup = await post("/api/v1/setup", {
    token,
    email: "ops@example.com",
    password: PASSWORD,
  });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const signIn = await post("/api/auth/sign-in/email", {
    email: "ops@example.com",
    password: PASSWORD,
  });
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const created = await post("/api/v1/api-keys", { name: "state" }, { cookie });
  const { key } = (await created.json()) as { key: string };
  /** A call of the panel's API as the super user; the answer's JSON, or an error. */
  async function api<T = { id: string }>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  const admin = await api("POST", "/api/v1/users", {
    ...{ email: "admin@example.com", password: PASSWORD },
  });
  const adminKey = await api<{ key: string }>("POST", "/api/v1/api-keys", {
    ...{ name: "admin", userId: admin.id },
  });
  const agentUrl = `https://127.0.0.1:${await freePort()}`;
  const node = await api("POST", "/api/v1/nodes", { name: "web-1", agentUrl });
  const db = new DatabaseSync(join(dataDir, "steward.db"));
  // a pinned certificate no agent has: a monitor may name the node, every call to it fails
  db.prepare("UPDATE nodes SET state = 'trusted', cert_fingerprint = ? WHERE id = ?").run(
    "0".repeat(64),
    node.id,
  );
  db.close();
  const c = cliFor(dataDir);
  return { c, url, key, adminKey: adminKey.key, nodeId: node.id, api, dataDir };
}
export type StatePanel = Awaited<ReturnType<typeof statePanel>>;

const dirs: string[] = [];
export const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "steward-state-"));
  dirs.push(d);
  return d;
};

/** Removes what tempDir made. */
export function removeTempDirs() {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file of a directory tree, by relative path, with its content. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kind of readdirSync(dir).sort())
    for (const f of readdirSync(join(dir, kind)).sort())
      out[`${kind}/${f}`] = readFileSync(join(dir, kind, f), "utf8");
  return out;
}

/** A bot token of the form Telegram's are (a secret of the state's files). */
export const TELEGRAM_TOKEN = `123456:${"A".repeat(35)}`;

export async function populate(p: StatePanel) {
  const shop = await p.api("POST", "/api/v1/accounts", { slug: "shop", name: "The Shop" });
  await p.api("POST", "/api/v1/accounts", { slug: "blog", name: "Blog" });
  const ops = await p.api("POST", "/api/v1/groups", { name: "ops", description: "Operators" });
  const [admin] = (await p.api<{ items: { id: string }[] }>("GET", "/api/v1/users?q=admin")).items;
  for (const [type, id, role] of [
    ["group", ops.id, "operate"],
    ["user", admin?.id, "admin"],
  ])
    await p.api("POST", "/api/v1/grants", {
      ...{ principalType: type, principalId: id, scopeType: "account", scopeId: shop.id, role },
    });
  await p.api("POST", "/api/v1/dns/zones", {
    ...{ name: "shop.example", node: p.nodeId, account: shop.id },
    records: [
      { name: "@", type: "NS", value: "ns1.shop.example." },
      { name: "ns1", type: "A", value: "192.0.2.53" },
      { name: "@", type: "A", value: "192.0.2.10" },
      { name: "www", type: "CNAME", value: "shop.example." },
      { name: "@", type: "MX", ttl: 600, value: "10 mail.shop.example." },
      { name: "@", type: "TXT", value: '"v=spf1 mx -all"' },
    ],
  });
  await p.api("POST", "/api/v1/sites", {
    ...{ node: p.nodeId, account: shop.id, kind: "static", domains: ["shop.example"] },
    ...{ aliases: ["old-shop.example"], redirect: "to-www", https: false },
  });
  const blog = (
    await p.api<{ items: { id: string; slug: string }[] }>("GET", "/api/v1/accounts")
  ).items.find((x) => x.slug === "blog");
  await p.api("POST", "/api/v1/sites", {
    ...{ node: p.nodeId, account: blog?.id, kind: "proxy", domains: ["blog.example"] },
    ...{ upstream: "http://93.184.215.14:3000", https: false },
  });
  const mail = await p.api("POST", "/api/v1/mail/domains", {
    ...{ name: "shop.example", node: p.nodeId, account: shop.id },
  });
  await p.api("POST", `/api/v1/mail/domains/${mail.id}/mailboxes`, {
    ...{ localPart: "info", password: "a mailbox password", quotaMb: 512, mode: "send-only" },
  });
  for (const alias of [
    { localPart: "sales", destinations: ["info@shop.example", "boss@elsewhere.example"] },
    { catchAll: true, destinations: ["info@shop.example"] },
  ])
    await p.api("POST", `/api/v1/mail/domains/${mail.id}/aliases`, alias);
  // kept though their connection tests fail (a name that does not resolve; no agent on web-1)
  const alerts = await p.api("POST", "/api/v1/notification-channels", {
    ...{ name: "Shop alerts", account: shop.id },
    settings: { kind: "telegram", botToken: TELEGRAM_TOKEN, chatId: "-100123" },
  });
  const opsMail = await p.api("POST", "/api/v1/notification-channels", {
    name: "Ops mail",
    settings: {
      ...{ kind: "email", host: "smtp.ops.invalid", from: "panel@example.com" },
      to: ["ops@example.com"],
    },
  });
  await p.api("POST", "/api/v1/database-servers", {
    ...{ name: "Main MariaDB", engine: "mariadb", accountId: shop.id, placement: "external" },
    ...{
      host: "db.shop.invalid",
      port: 3306,
      adminUser: "root",
      adminPassword: "an admin password",
    },
    ...{ tls: { mode: "require" }, saveAnyway: true },
  });
  const port = await p.api("POST", "/api/v1/monitors", {
    ...{ name: "Shop DB port", account: shop.id, locations: ["panel", p.nodeId], quorum: 1 },
    ...{ settings: { kind: "tcp", host: "db.shop.invalid", port: 5432 } },
    ...{ intervalSeconds: 120, timeoutSeconds: 5 },
  });
  const monitors = await p.api<{ items: { id: string; name: string }[] }>(
    "GET",
    "/api/v1/monitors",
  );
  const site = monitors.items.find((m) => m.name === "shop.example");
  await p.api("POST", "/api/v1/status-pages", {
    ...{ account: shop.id, slug: "shop-status", title: "Shop status" },
    monitors: [
      { monitor: site?.id, name: "Website" },
      { monitor: port.id, name: "Database" },
    ],
  });
  // rules scoped to one monitor (by its file's name) and one node (by its name)
  await p.api("POST", "/api/v1/notification-rules", {
    ...{ name: "DB port down", account: shop.id, channels: [alerts.id] },
    settings: {
      ...{ eventTypes: ["monitor."], minSeverity: "warning", outcome: "failure" },
      ...{ scope: { targetType: "monitor", targetId: port.id }, repeatMinutes: 30 },
      quietHours: { start: "22:00", end: "07:00", timeZone: "Europe/Berlin", days: ["sat", "sun"] },
    },
  });
  await p.api("POST", "/api/v1/notification-rules", {
    ...{ name: "Web node", channels: [opsMail.id] },
    settings: { eventTypes: ["node.", "site."], scope: { targetType: "node", targetId: p.nodeId } },
  });
  // kept though their tests fail (no agent on web-1; a host that does not resolve)
  await p.api("POST", "/api/v1/backup-destinations", {
    ...{ name: "Web dumps", saveAnyway: true },
    settings: { kind: "local", nodeId: p.nodeId, path: "/var/backups/steward" },
  });
  await p.api("POST", "/api/v1/backup-destinations", {
    ...{ name: "Offsite", accountId: shop.id, saveAnyway: true },
    settings: {
      ...{ kind: "sftp", host: "backup.shop.invalid", username: "shop", path: "/dumps" },
      ...{ password: "an sftp password", hostKey: `SHA256:${"A".repeat(43)}` },
    },
  });
  await p.api("POST", "/api/v1/database-servers", {
    ...{ name: "Node Postgres", engine: "postgres", placement: "on-node", nodeId: p.nodeId },
    saveAnyway: true,
  });
  await populateHosting(p, { shop: shop.id, blog: blog?.id ?? "" });
}
