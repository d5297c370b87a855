// Installing a hermetic WordPress into a directory (./wordpress.ts uses it for its own server;
// a test of a Steward-hosted site installs it into the site's home on a node): Debian's
// /usr/share/wordpress copied to `<dir>/<root>` (links followed: a pool confined to its home by
// open_basedir cannot read Debian's links to /usr/share/php), our wp-config.php, the mu-plugin
// sending update checks to the local update source, a minimal theme, the `hello-steward`
// plugin at 1.0.0, the files given to `owner`, then wp_install() with an admin and an
// application password, run by PHP's CLI as `owner`.
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  bootstrap,
  helloPlugin,
  installCode,
  phpString,
  themeFiles,
  updateSourcePlugin,
  wpConfig,
} from "./wordpress-files.ts";

const run = promisify(execFile);
export const WORDPRESS_SOURCE = "/usr/share/wordpress";
export const PHP_CLI = "/usr/bin/php";

export interface InstallOptions {
  /** the directory holding the root and `tmp/` (WordPress's temp directory); left as it is */
  dir: string;
  /** the WordPress root: the web server's document root */
  root: string;
  /** the site's address, as WordPress calls itself (no trailing slash) */
  url: string;
  db: { port: number; name: string; user: string; password: string };
  /** the update source's address (./wordpress-updates.ts) */
  updateSource: string;
  /** who owns the files and runs PHP's CLI (null: the current user) */
  owner: { uid: number; gid: number } | null;
  /** plugin directories copied into wp-content/plugins */
  plugins?: string[];
}

export interface InstalledWordPress {
  url: string;
  root: string;
  admin: { user: string; password: string; applicationPassword: string };
  /** runs PHP with WordPress loaded (as the owner); its standard output */
  php(code: string): Promise<string>;
  activatePlugin(file: string): Promise<void>;
  deactivatePlugin(file: string): Promise<void>;
  /** the installed version of a plugin (`hello-steward/hello-steward.php`) */
  pluginVersion(file: string): Promise<string>;
  /** the WordPress version its files say (`wp-includes/version.php`) */
  coreVersion(): Promise<string>;
}

export async function installWordPress(o: InstallOptions): Promise<InstalledWordPress> {
  const { dir, root, url } = o;
  cpSync(WORDPRESS_SOURCE, root, { recursive: true, dereference: true });
  copyLinked(root);
  rmSync(join(root, ".htaccess"), { force: true });
  for (const d of [join(dir, "tmp"), join(root, "wp-content/mu-plugins")])
    mkdirSync(d, { recursive: true });
  mkdirSync(join(root, "wp-content/themes/steward-test"), { recursive: true });
  writeFileSync(
    join(root, "wp-config.php"),
    wpConfig({
      dir,
      url,
      dbPort: o.db.port,
      dbName: o.db.name,
      dbUser: o.db.user,
      dbPassword: o.db.password,
      updateSource: o.updateSource,
    }),
  );
  writeFileSync(join(root, "wp-content/mu-plugins/steward-test-updates.php"), updateSourcePlugin);
  for (const [name, text] of Object.entries(themeFiles))
    writeFileSync(join(root, "wp-content/themes/steward-test", name), text);
  for (const [path, text] of Object.entries(helloPlugin("1.0.0"))) {
    mkdirSync(join(root, "wp-content/plugins", path, ".."), { recursive: true });
    writeFileSync(join(root, "wp-content/plugins", path), text);
  }
  for (const p of o.plugins ?? [])
    cpSync(p, join(root, "wp-content/plugins", p.split("/").pop() ?? "plugin"), {
      recursive: true,
    });
  // the owner may write the site (updates write into it); `dir` itself keeps its owner and group
  if (o.owner) await run("chown", ["-R", `${o.owner.uid}:${o.owner.gid}`, root, join(dir, "tmp")]);
  const php = async (code: string, env: Record<string, string> = {}) => {
    const script = join(dir, "tmp", `run-${process.hrtime.bigint()}.php`);
    writeFileSync(script, bootstrap(root, url, code));
    try {
      const { stdout } = await run(PHP_CLI, [script], {
        env: { ...process.env, ...env },
        uid: o.owner?.uid,
        gid: o.owner?.gid,
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
  return {
    url,
    root,
    admin: { ...admin, applicationPassword: installed.applicationPassword },
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
  };
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
