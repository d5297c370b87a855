// What the `steward state` round trip makes of hosting (testing/state-panel.ts populates it
// through the API): system users of accounts shop and blog on web-1, shop's cron jobs, and
// the exact bytes their export is expected to hold.
import { ALICE_KEY } from "./state-hostile-hosting.ts";
import type { StatePanel } from "./state-panel.ts";

/** The secrets a fresh panel needs to make what populateHosting made (--secrets lines). */
export const hostingSecrets = ["system-user/web-1--shop/password: a system user password"];

export async function populateHosting(p: StatePanel, accounts: { shop: string; blog: string }) {
  const users = "/api/v1/system-users";
  const shop = await p.api("POST", users, {
    ...{ kind: "main", account: accounts.shop, node: p.nodeId, name: "shop" },
    ...{ shell: "sftp", ftp: true, keys: [ALICE_KEY], password: "a system user password" },
  });
  const deploy = await p.api("POST", users, {
    ...{ kind: "secondary", account: accounts.shop, node: p.nodeId, name: "deploy" },
    ...{ home: "team/web", shell: "restricted" },
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
};
