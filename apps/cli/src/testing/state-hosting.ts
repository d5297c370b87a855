// What the `steward state` round trip makes of hosting (testing/state-panel.ts populates it
// through the API): system users of accounts shop and blog on web-1, shop's cron jobs and
// apps (a quick service, a git app, a compose stack), and the exact bytes their export is
// expected to hold.
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ALICE_KEY } from "./state-hostile-hosting.ts";
import type { StatePanel } from "./state-panel.ts";

/** The secrets a fresh panel needs to make what populateHosting made (--secrets lines). */
export const hostingSecrets = [
  "system-user/web-1--shop/password: a system user password",
  "app/web-1--whoami/env/API_TOKEN: an api token",
  "app/web-1--shop-api/git-token: ghp_notarealtoken",
  "app/web-1--stack/env/DB_PASSWORD: a database password",
];

/** A compose stack with a secret and a plain variable, a named volume and a port. */
export const STACK = [
  "services:",
  "  web:",
  "    image: nginx:1.27",
  "    environment:",
  `      DB_PASSWORD: \${DB_PASSWORD}`,
  `      MODE: \${MODE}`,
  "    ports:",
  '      - "8080:80"',
  "    volumes:",
  "      - html:/usr/share/nginx/html",
  "volumes:",
  "  html: {}",
  "",
].join("\n");

export async function populateHosting(p: StatePanel, accounts: { shop: string; blog: string }) {
  const users = "/api/v1/system-users";
  const shop = await p.api("POST", users, {
    ...{ kind: "main", account: accounts.shop, node: p.nodeId, name: "shop" },
    ...{ shell: "sftp", ftp: true, keys: [ALICE_KEY], password: "a system user password" },
  });
  const deploy = await p.api("POST", users, {
    ...{ kind: "secondary", account: accounts.shop, node: p.nodeId, name: "deploy" },
    ...{ home: "team/web", shell: "restricted", quotaMb: 512 },
  });
  const job = (user: string, fields: Record<string, unknown>) =>
    p.api("POST", "/api/v1/cron-jobs", { account: accounts.shop, systemUser: user, ...fields });
  await job(shop.id, {
    ...{ schedule: "*/15 * * * *", command: "php artisan schedule:run" },
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", MAILTO: "ops@example.com" },
  });
  // its heartbeat monitor is the crontab's, not a monitor file
  await job(shop.id, { schedule: "@daily", command: "./bin/backup-orders", heartbeat: true });
  await job(deploy.id, { schedule: "0 4 * * sun", command: "git pull -q", enabled: false });
  await p.api("POST", users, {
    ...{ kind: "main", account: accounts.blog, node: p.nodeId, name: "blog", shell: "none" },
  });
  // deploys that fail (no agent on web-1): the apps stay, as the panel holds them
  const where = { account: accounts.shop, node: p.nodeId };
  const whoami = await p.api("POST", "/api/v1/apps", {
    ...{ ...where, name: "whoami", image: "traefik/whoami:v1.10", restart: "always" },
    env: [
      { key: "GREETING", value: "hello" },
      { key: "API_TOKEN", value: "an api token", secret: true },
    ],
    ports: [{ container: 80, host: 8081 }],
    volumes: [{ source: "data", target: "/data" }],
    ...{ limits: { memoryMb: 128 }, command: ["--port", "80"], domain: "whoami.shop.example" },
    healthCheck: { command: ["wget", "-q", "-O-", "http://localhost/health"] },
  });
  // the proxy site its deploy makes (it needs an agent): made here, the app's as a deploy sets it
  const site = await p.api("POST", "/api/v1/sites", {
    ...{ node: p.nodeId, account: accounts.shop, kind: "proxy", domains: ["whoami.shop.example"] },
    ...{ upstream: "http://93.184.215.14:8081", https: false },
  });
  const db = new DatabaseSync(join(p.dataDir, "steward.db"));
  db.prepare("UPDATE apps SET site_id = ? WHERE id = ?").run(site.id, whoami.id);
  db.close();
  await p.api("POST", "/api/v1/apps/git", {
    ...{ ...where, name: "shop-api", ports: [{ container: 3000 }] },
    git: {
      url: "https://93.184.215.14/acme/shop-api.git",
      ref: "release",
      token: "ghp_notarealtoken",
    },
  });
  await p.api("POST", "/api/v1/apps/compose", {
    ...{ ...where, name: "stack", compose: STACK },
    env: [
      { key: "MODE", value: "production" },
      { key: "DB_PASSWORD", value: "a database password", secret: true },
    ],
  });
}

export const hostingFiles: Record<string, string> = {
  "system-user/web-1--shop.yaml": [
    "account: shop",
    "ftp: true",
    "keys:",
    `  - ${ALICE_KEY}`,
    "kind: main",
    "name: shop",
    "node: web-1",
    "password:",
    "  secret: system-user/web-1--shop/password",
    "shell: sftp",
    "",
  ].join("\n"),
  "system-user/web-1--deploy.yaml": [
    "account: shop",
    "ftp: false",
    "home: team/web",
    "keys: []",
    "kind: secondary",
    "name: deploy",
    "node: web-1",
    "quotaMb: 512",
    "shell: restricted",
    "",
  ].join("\n"),
  "system-user/web-1--blog.yaml": [
    "account: blog",
    "ftp: false",
    "keys: []",
    "kind: main",
    "name: blog",
    "node: web-1",
    "shell: none",
    "",
  ].join("\n"),
  "crontab/web-1--shop.yaml": [
    "account: shop",
    "jobs:",
    "  - command: ./bin/backup-orders",
    "    enabled: true",
    "    env: {}",
    "    heartbeat: true",
    '    schedule: "@daily"',
    "  - command: php artisan schedule:run",
    "    enabled: true",
    "    env:",
    "      MAILTO: ops@example.com",
    "      PATH: /usr/local/bin:/usr/bin:/bin",
    "    heartbeat: false",
    '    schedule: "*/15 * * * *"',
    "node: web-1",
    "user: shop",
    "",
  ].join("\n"),
  "crontab/web-1--deploy.yaml": [
    "account: shop",
    "jobs:",
    "  - command: git pull -q",
    "    enabled: false",
    "    env: {}",
    "    heartbeat: false",
    "    schedule: 0 4 * * sun",
    "node: web-1",
    "user: deploy",
    "",
  ].join("\n"),
  // a secret variable as a secret, the health check with its defaults
  "app/web-1--whoami.yaml": [
    "account: shop",
    "command:",
    "  - --port",
    '  - "80"',
    "domain: whoami.shop.example",
    "env:",
    "  API_TOKEN:",
    "    secret: app/web-1--whoami/env/API_TOKEN",
    "  GREETING: hello",
    "healthCheck:",
    "  command:",
    "    - wget",
    "    - -q",
    "    - -O-",
    "    - http://localhost/health",
    "  intervalSeconds: 10",
    "  retries: 3",
    "  startSeconds: 0",
    "  timeoutSeconds: 5",
    "image: traefik/whoami:v1.10",
    "limits:",
    "  memoryMb: 128",
    "name: whoami",
    "node: web-1",
    "ports:",
    "  - container: 80",
    "    host: 8081",
    "    protocol: tcp",
    "restart: always",
    "source: image",
    "volumes:",
    "  - readOnly: false",
    "    source: data",
    "    target: /data",
    "",
  ].join("\n"),
  // the compose file as given, its variables unresolved
  "app/web-1--stack.yaml": [
    "account: shop",
    "compose: |",
    ...STACK.trimEnd()
      .split("\n")
      .map((line) => `  ${line}`),
    "env:",
    "  DB_PASSWORD:",
    "    secret: app/web-1--stack/env/DB_PASSWORD",
    "  MODE: production",
    "name: stack",
    "node: web-1",
    "source: compose",
    "",
  ].join("\n"),
  // a git token as a secret; a port the agent picks is no host port
  "app/web-1--shop-api.yaml": [
    "account: shop",
    "domain: null",
    "env: {}",
    "git:",
    "  dockerfile: Dockerfile",
    "  ref: release",
    "  token:",
    "    secret: app/web-1--shop-api/git-token",
    "  url: https://93.184.215.14/acme/shop-api.git",
    "limits: {}",
    "name: shop-api",
    "node: web-1",
    "ports:",
    "  - container: 3000",
    "    protocol: tcp",
    "restart: unless-stopped",
    "source: git",
    "volumes: []",
    "",
  ].join("\n"),
};
