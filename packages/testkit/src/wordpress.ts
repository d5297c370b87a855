// A hermetic WordPress (docs: ../../../docs/cms.md): Debian's /usr/share/wordpress copied to
// a temp dir with our own wp-config.php, its own MariaDB database, a php-fpm pool and an
// nginx server on 127.0.0.1 and a free port; installed by a PHP bootstrap (wp_install), with
// an admin and an application password, a minimal theme, the plugins the test gives
// (activated or not), the small `hello-steward` plugin at 1.0.0, and a local update source
// (./wordpress-updates.ts) that WordPress's update checks are sent to, which can offer core
// releases made of the site's own tree (./wordpress-core.ts). Start once per file.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMariadb } from "./mariadb.ts";
import { startNginx } from "./nginx.ts";
import { startPhpFpm } from "./php-fpm.ts";
import { missing, unprivilegedUser } from "./system.ts";
import {
  bootstrap,
  helloPlugin,
  installCode,
  phpString,
  poolConf,
  serverConf,
  themeFiles,
  updateSourcePlugin,
  wpConfig,
} from "./wordpress-files.ts";
import { startWordPressUpdateSource, type WordPressUpdateSource } from "./wordpress-updates.ts";

const run = promisify(execFile);
const SOURCE = "/usr/share/wordpress";
const PHP = "/usr/bin/php";

export type { CoreRelease } from "./wordpress-core.ts";
export { helloPlugin } from "./wordpress-files.ts";
export type { PluginOffer, WordPressUpdateSource } from "./wordpress-updates.ts";

export interface WordPressOptions {
  /** plugin directories copied into wp-content/plugins, each activated unless `active: false` */
  plugins?: { dir: string; active?: boolean }[];
}

export interface WordPressSite {
  /** http://127.0.0.1:port (no trailing slash) */
  url: string;
  port: number;
  /** the WordPress root */
  root: string;
  admin: { user: string; password: string; applicationPassword: string };
  updates: WordPressUpdateSource;
  /** runs PHP with WordPress loaded (as the web server's user); its standard output */
  php(code: string): Promise<string>;
  activatePlugin(file: string): Promise<void>;
  deactivatePlugin(file: string): Promise<void>;
  /** the installed version of a plugin (`hello-steward/hello-steward.php`) */
  pluginVersion(file: string): Promise<string>;
  /** the WordPress version its files say (`wp-includes/version.php`) */
  coreVersion(): Promise<string>;
  stop(): Promise<void>;
}

export async function startWordPress(
  options: WordPressOptions = {},
): Promise<WordPressSite | null> {
  if (!existsSync(`${SOURCE}/wp-settings.php`) || !existsSync(PHP))
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
    const root = join(dir, "www");
    cpSync(SOURCE, root, { recursive: true });
    copyLinked(root);
    rmSync(join(root, ".htaccess"), { force: true });
    for (const d of ["tmp", "www/wp-content/mu-plugins", "www/wp-content/themes/steward-test"])
      mkdirSync(join(dir, d), { recursive: true });
    const url = `http://127.0.0.1:${nginx.port}`;
    const dbPassword = "wp-test-password";
    await db.sql(
      `CREATE DATABASE wordpress; CREATE USER 'wp'@'127.0.0.1' IDENTIFIED BY '${dbPassword}'; GRANT ALL ON wordpress.* TO 'wp'@'127.0.0.1';`,
    );
    writeFileSync(
      join(root, "wp-config.php"),
      wpConfig({
        dir,
        url,
        dbPort: db.port,
        dbName: "wordpress",
        dbUser: "wp",
        dbPassword,
        updateSource: updates.url,
      }),
    );
    writeFileSync(join(root, "wp-content/mu-plugins/steward-test-updates.php"), updateSourcePlugin);
    for (const [name, text] of Object.entries(themeFiles))
      writeFileSync(join(root, "wp-content/themes/steward-test", name), text);
    for (const [path, text] of Object.entries(helloPlugin("1.0.0"))) {
      mkdirSync(join(root, "wp-content/plugins", path, ".."), { recursive: true });
      writeFileSync(join(root, "wp-content/plugins", path), text);
    }
    for (const p of options.plugins ?? [])
      cpSync(p.dir, join(root, "wp-content/plugins", p.dir.split("/").pop() ?? "plugin"), {
        recursive: true,
      });

    const asRoot = process.getuid?.() === 0;
    const web = asRoot ? unprivilegedUser(["nobody"]) : null;
    // the web server's user owns the site: updates write into it
    if (web) await run("chown", ["-R", `${web.uid}:${web.gid}`, dir]);
    const php = async (code: string, env: Record<string, string> = {}) => {
      const script = join(dir, "tmp", `run-${process.hrtime.bigint()}.php`);
      writeFileSync(script, bootstrap(root, url, code));
      try {
        const { stdout } = await run(PHP, [script], {
          env: { ...process.env, ...env },
          uid: web?.uid,
          gid: web?.gid,
          timeout: 60_000,
        });
        return stdout;
      } finally {
        rmSync(script, { force: true });
      }
    };

    const admin = { user: "admin", password: "admin-test-password", email: "admin@example.com" };
    const installed = JSON.parse(await php(installCode(admin), { STEWARD_WP_INSTALLING: "1" })) as {
      applicationPassword: string;
    };
    const site: WordPressSite = {
      url,
      port: nginx.port,
      root,
      admin: { ...admin, applicationPassword: installed.applicationPassword },
      updates,
      php: (code) => php(code),
      async activatePlugin(file) {
        await php(`$r = activate_plugin(${phpString(file)}); if (is_wp_error($r)) exit(1);`);
      },
      async deactivatePlugin(file) {
        await php(`deactivate_plugins([${phpString(file)}]);`);
      },
      async pluginVersion(file) {
        return php(`echo get_plugin_data(WP_PLUGIN_DIR . '/' . ${phpString(file)})['Version'];`);
      },
      async coreVersion() {
        return php("require ABSPATH . WPINC . '/version.php'; echo $wp_version;");
      },
      stop,
    };
    for (const p of options.plugins ?? []) {
      const name = p.dir.split("/").pop() ?? "";
      if (p.active !== false) await site.activatePlugin(`${name}/${name}.php`);
    }

    const sock = join(fpm.socketDir, "wordpress.sock");
    writeFileSync(
      join(fpm.poolDir, "wordpress.conf"),
      poolConf({
        name: "wordpress",
        socket: sock,
        user: web?.name ?? null,
        log: join(dir, "php.log"),
      }),
    );
    await fpm.reload();
    writeFileSync(
      join(nginx.sitesDir, "wordpress.conf"),
      serverConf({ listen: "127.0.0.1", port: nginx.port, root, socket: sock }),
    );
    await nginx.reload();
    await waitAnswering(url);
    return site;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Debian links some of WordPress's files to system libraries (getID3, the CA bundle…): each
 * link under `root` replaced by a copy of its target (cpSync's `dereference` stops at the top),
 * so that a core update (./wordpress-core.ts) writes into the site's own files.
 */
function copyLinked(root: string) {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = existsSync(link) ? realpathSync(link) : null;
    rmSync(link, { force: true });
    if (target) cpSync(target, link, { recursive: true });
  }
}

async function waitAnswering(url: string) {
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
