// Test support (not shipped behaviour): a "node" made of a hermetic nginx (and optionally
// PHP-FPM) from testkit plus an agent configuration pointing at them, temp sites and logs
// directories, and site users with a recognisable prefix that are deleted afterwards.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OperationName, OpInput, OpResult } from "@steward/contracts/agent";
import { type NginxServer, type PhpFpmServer, startNginx, startPhpFpm } from "@steward/testkit";
import { type AgentConfig, parseConfig } from "../config.ts";
import { runOperation } from "../ops/framework.ts";
import { siteApply } from "../ops/sites/apply.ts";
import { siteRemove } from "../ops/sites/remove.ts";
import type { OpHandler } from "../ops/types.ts";

export const USER_PREFIX = "stwtest-";
const made = new Set<string>();

/** A fresh site user name (the operation creates it; deleteTestUsers removes it). */
export function testUser(): string {
  const name = `${USER_PREFIX}${randomBytes(4).toString("hex")}`;
  made.add(name);
  return name;
}

export function deleteTestUsers() {
  for (const name of made) {
    try {
      execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
    } catch {} // never created (a test that failed early)
  }
  made.clear();
}

export interface TestNode {
  config: AgentConfig;
  nginx: NginxServer;
  dir: string;
  apply(input: Partial<OpInput<"site.apply">> & { id: string }): Promise<OpResult>;
  remove(input: { id: string; user: string; keepFiles?: boolean }): Promise<OpResult>;
  run<N extends OperationName>(h: OpHandler<N>, input: unknown, c?: AgentConfig): Promise<OpResult>;
  cleanup(): void;
}

export function testNode(
  nginx: NginxServer,
  php: PhpFpmServer | null,
  over: Record<string, unknown> = {},
): TestNode {
  const dir = mkdtempSync(join(tmpdir(), "steward-sites-"));
  chmodSync(dir, 0o755); // nginx's workers (nobody) traverse it to the document roots
  const config = nodeConfig(nginx, php, dir, over);
  const node: TestNode = {
    config,
    nginx,
    dir,
    run: (h, input, c = config) =>
      runOperation(h, input, { config: c, requestId: `test-${randomBytes(3).toString("hex")}` }),
    apply: (input) =>
      node.run(siteApply, {
        kind: "static",
        domains: [`${input.id}.example.test`],
        aliases: [],
        redirect: "none",
        root: "public",
        suspended: false,
        protection: [],
        php: {},
        ...input,
      }),
    remove: (input) => node.run(siteRemove, { keepFiles: true, ...input }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  return node;
}

/**
 * A test file's node: testkit's nginx on 127.0.0.2, PHP-FPM with `php`, and a test node on
 * them (null parts when nginx or PHP-FPM is not installed). `stop` (the file's afterAll) stops
 * them, removes the node's directory and deletes the site users the tests made.
 */
export async function startSiteNode(opts: { php?: boolean; over?: Record<string, unknown> } = {}) {
  const nginx = await startNginx({ listen: "127.0.0.2" });
  const php = nginx && opts.php ? await startPhpFpm() : null;
  const node = nginx ? testNode(nginx, php, opts.over) : null;
  return {
    php,
    node,
    async stop() {
      await nginx?.stop();
      await php?.stop();
      node?.cleanup();
      deleteTestUsers();
    },
  };
}

/**
 * A PHP site node for the account layout: its hosting section under a fresh 0755 directory
 * (`homeRoot`; no sshd nor pure-ftpd, so sysusers.apply makes only the users and homes). `stop`
 * also deletes the accounts' main users and their `-cgi` users (`mains`), made by the tests
 * through sysusers.apply, and the directory.
 */
export async function startAccountNode(prefix: string, mains: readonly string[]) {
  const homeRoot = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(homeRoot, 0o755);
  const sites = await startSiteNode({
    php: true,
    over: {
      hosting: {
        homeRoot: join(homeRoot, "home"),
        keysDir: join(homeRoot, "keys"),
        webUser: "nobody",
        sshd: { configFile: join(homeRoot, "no-sshd_config") },
        ftp: { purePw: join(homeRoot, "no-pure-pw") },
      },
    },
  });
  return {
    homeRoot,
    node: sites.php ? sites.node : null,
    async stop() {
      await sites.stop();
      for (const name of mains.flatMap((main) => [`${main}-cgi`, main]))
        try {
          execFileSync("/usr/sbin/userdel", ["--", name], { stdio: "ignore" });
        } catch {} // not made (a test that failed early)
      rmSync(homeRoot, { recursive: true, force: true });
    },
  };
}

/** agent.json's `nginx` section for testkit's hermetic nginx. */
export const nginxSection = (nginx: NginxServer) => ({
  bin: nginx.bin,
  confFile: nginx.conf,
  prefix: `${nginx.dir}/`,
  sitesDir: nginx.sitesDir,
  httpPort: nginx.port,
  listenAddress: nginx.listen,
  pidFile: nginx.pidFile,
  user: nginx.user.name,
  group: nginx.user.group,
});

export function nodeConfig(
  nginx: NginxServer,
  php: PhpFpmServer | null,
  dir: string,
  over: Record<string, unknown> = {},
): AgentConfig {
  return parseConfig(join(dir, "agent"), {
    nodeId: "test-node",
    panelUrl: "https://panel.test:7443",
    systemd: false,
    nginx: nginxSection(nginx),
    phpFpm: php
      ? {
          bin: php.bin,
          confFile: php.conf,
          prefix: php.dir,
          poolDir: php.poolDir,
          socketDir: php.socketDir,
          pidFile: php.pidFile,
        }
      : { bin: "/nonexistent/php-fpm", poolDir: join(dir, "pools") },
    sitesRoot: join(dir, "sites"),
    logDir: join(dir, "log"),
    tlsDir: join(dir, "tls"),
    ...over,
  });
}
