// WordPress core releases for the local update source (./wordpress-updates.ts): a package made
// as wordpress.org makes one (`wordpress/` and the core's files, no wp-content, no
// wp-config.php) from a WordPress tree (the test site's own), its `wp-includes/version.php`
// saying the release's version and the files the test gives replaced (a release that breaks
// the site); and the offer api.wordpress.org's `core/version-check/1.7` makes of a release.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CoreRelease {
  /** the release's version (`6.1.10`): written into the package's wp-includes/version.php */
  version: string;
  /** the WordPress tree the package is made of (the test site's root: `site.root`) */
  tree: string;
  /** files replaced in the package, by path inside the tree (`wp-includes/template-loader.php`) */
  files?: Record<string, string>;
}

/** What is not part of a core package: the site's content, its configuration, its state. */
const notCore = ["wp-content/*", "wp-config.php", ".maintenance", ".htaccess"];

/** The tree's files zipped once under `wordpress/` (the site's own tree, as it was first asked). */
const bases = new Map<string, Promise<Buffer>>();

function baseOf(tree: string): Promise<Buffer> {
  let made = bases.get(tree);
  if (!made) {
    made = inTemp(async (dir) => {
      // zip follows the link: the tree's files stored under wordpress/
      symlinkSync(tree, join(dir, "wordpress"));
      const exclude = notCore.map((p) => `wordpress/${p}`);
      await run("zip", ["-q", "-r", "out.zip", "wordpress", "-x", ...exclude], { cwd: dir });
      return readFileSync(join(dir, "out.zip"));
    });
    bases.set(tree, made);
  }
  return made;
}

async function inTemp<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "steward-wpcore-"));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The release's zip (`wordpress/…`): the tree's, its version.php and the given files replaced. */
export async function corePackage(release: CoreRelease): Promise<Buffer> {
  if (!/^\d+(\.\d+){1,3}$/.test(release.version))
    throw new Error(`a core release's version is digits and dots: ${release.version}`);
  const base = await baseOf(release.tree);
  return inTemp(async (dir) => {
    const stamped = readFileSync(join(release.tree, "wp-includes/version.php"), "utf8").replace(
      /^\$wp_version = '[^']*';$/m,
      `$wp_version = '${release.version}';`,
    );
    if (!stamped.includes(`'${release.version}'`))
      throw new Error("version.php has no $wp_version");
    const files = { ...release.files, "wp-includes/version.php": stamped };
    for (const [path, text] of Object.entries(files)) {
      if (path.split("/").includes("..")) throw new Error(`a package path without ..: ${path}`);
      mkdirSync(dirname(join(dir, "wordpress", path)), { recursive: true });
      writeFileSync(join(dir, "wordpress", path), text);
    }
    writeFileSync(join(dir, "out.zip"), base);
    const paths = Object.keys(files).map((p) => `wordpress/${p}`);
    await run("zip", ["-q", "out.zip", ...paths], { cwd: dir });
    return readFileSync(join(dir, "out.zip"));
  });
}

/** One offer of `core/version-check/1.7`, its package on the update source at `source`. */
export function coreOffer(source: string, version: string, response: string) {
  const full = `${source}/packages/wordpress-${version}.zip`;
  return {
    response,
    download: full,
    locale: "en_US",
    packages: { full, no_content: false, new_bundled: false, partial: false, rollback: false },
    current: version,
    version,
    php_version: "5.6.20",
    mysql_version: "5.0",
    new_bundled: "6.1",
    partial_version: false,
  };
}
