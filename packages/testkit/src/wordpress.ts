// A hermetic WordPress (docs: ../../../docs/cms.md): Debian's /usr/share/wordpress copied to
// a temp dir with our own wp-config.php, its own MariaDB database, a php-fpm pool and an
// nginx server on 127.0.0.1 and a free port; installed by a PHP bootstrap (wp_install), with
// an admin and an application password, a minimal theme, the plugins the test gives
// (activated or not), the small `hello-steward` plugin at 1.0.0, and a local update source
// (./wordpress-updates.ts) that WordPress's update checks are sent to, which can offer core
// releases made of the site's own tree (./wordpress-core.ts). Start once per file.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMariadb } from "./mariadb.ts";
import { startNginx } from "./nginx.ts";
import { startPhpFpm } from "./php-fpm.ts";
import { missing, unprivilegedUser } from "./system.ts";
import { poolConf, serverConf } from "./wordpress-files.ts";
import type { InstalledWordPress } from "./wordpress-install.ts";

const run = promisify(execFile);

import { installWordPress, PHP_CLI, WORDPRESS_SOURCE } from "./wordpress-install.ts";
import { startWordPressUpdateSource, type WordPressUpdateSource } from "./wordpress-updates.ts";

export type { CoreRelease } from "./wordpress-core.ts";
export { helloPlugin } from "./wordpress-files.ts";
export { type InstalledWordPress, installWordPress } from "./wordpress-install.ts";
export {
  type PluginOffer,
  startWordPressUpdateSource,
  type WordPressUpdateSource,
} from "./wordpress-updates.ts";

export interface WordPressOptions {
  /** plugin directories copied into wp-content/plugins, each activated unless `active: false` */
  plugins?: { dir: string; active?: boolean }[];
}

/** at http://127.0.0.1:port (no trailing slash); PHP run as the web server's user */
export interface WordPressSite extends InstalledWordPress {
  port: number;
  updates: WordPressUpdateSource;
  /** the ends of nginx's, php-fpm's and PHP's logs and the slow requests' stacks: for a
   * failing test's message when the site did not answer */
  logs(): string;
  /** how long nginx waits for PHP before it answers 504 (null: nginx's default, 60 s); PHP goes on */
  gatewayTimeout(seconds: number | null): Promise<void>;
  stop(): Promise<void>;
}

export async function startWordPress(
  options: WordPressOptions = {},
): Promise<WordPressSite | null> {
  if (!existsSync(`${WORDPRESS_SOURCE}/wp-settings.php`) || !existsSync(PHP_CLI))
    return missing("WordPress", "apt-get install wordpress php-fpm php-mysql");
  const cleanup: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  };
  try {
    const db = await startMariadb();
    if (!db) return null;
    cleanup.push(() => db.stop());
    const fpm = await startPhpFpm();
    if (!fpm) return null;
    cleanup.push(() => fpm.stop());
    const nginx = await startNginx({ listen: "127.0.0.1" });
    if (!nginx) return null;
    cleanup.push(() => nginx.stop());
    const updates = await startWordPressUpdateSource();
    cleanup.push(() => updates.stop());

    const dir = mkdtempSync(join(tmpdir(), "steward-wordpress-"));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const url = `http://127.0.0.1:${nginx.port}`;
    const dbPassword = "wp-test-password";
    await db.sql(
      `CREATE DATABASE wordpress; CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY '${dbPassword}'; GRANT ALL ON wordpress.* TO 'wp'@'127.0.0.1';`,
    );
    const asRoot = process.getuid?.() === 0;
    const web = asRoot ? unprivilegedUser(["nobody"]) : null;
    // nginx and PHP (its log beside the root) run as the web server's user
    if (web) await run("chown", [`${web.uid}:${web.gid}`, dir]);
    const installed = await installWordPress({
      dir,
      root: join(dir, "www"),
      url,
      db: { port: db.port, name: "wordpress", user: "wp", password: dbPassword },
      updateSource: updates.url,
      owner: web,
      plugins: (options.plugins ?? []).map((p) => p.dir),
    });
    const { root } = installed;
    const logs = () =>
      [nginx.errorLog, fpm.errorLog, join(dir, "php.log"), join(dir, "php-slow.log")]
        .map((f) => `--- ${f}\n${existsSync(f) ? readFileSync(f, "utf8").slice(-3000) : "(none)"}`)
        .join("\n");
    const sock = join(fpm.socketDir, "wordpress.sock");
    const server = async (readTimeoutSeconds: number | null) => {
      writeFileSync(
        join(nginx.sitesDir, "wordpress.conf"),
        serverConf({
          listen: "127.0.0.1",
          port: nginx.port,
          root,
          socket: sock,
          readTimeoutSeconds: readTimeoutSeconds ?? undefined,
        }),
      );
      await nginx.reload();
    };
    const site: WordPressSite = {
      ...installed,
      port: nginx.port,
      updates,
      logs,
      gatewayTimeout: server,
      stop,
    };
    for (const p of options.plugins ?? []) {
      const name = p.dir.split("/").pop() ?? "";
      if (p.active !== false) await site.activatePlugin(`${name}/${name}.php`);
    }

    writeFileSync(
      join(fpm.poolDir, "wordpress.conf"),
      poolConf({
        name: "wordpress",
        socket: sock,
        user: web?.name ?? null,
        log: join(dir, "php.log"),
        slowLog: join(dir, "php-slow.log"),
      }),
    );
    await fpm.reload();
    await server(null);
    await waitAnswering(url);
    return site;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until WordPress at `url` answers its REST index (200). */
export async function waitAnswering(url: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await fetch(`${url}/wp-json/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`WordPress at ${url} answers ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
