// WordPress core releases for the local update source (./wordpress-updates.ts): a package made
// as wordpress.org makes one (`wordpress/` and the core's files, no wp-content, no
// wp-config.php) from a WordPress tree (the test site's own), its `wp-includes/version.php`
// saying the release's version and the files the test gives replaced (a release that breaks
// the site); and the offer api.wordpress.org's `core/version-check/1.7` makes of a release.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
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
const notCore = new Set(["wp-content", "wp-config.php", ".maintenance", ".htaccess"]);

/** The release's zip (`wordpress/…`), made with the system's `zip`. */
export async function corePackage(release: CoreRelease): Promise<Buffer> {
  if (!/^\d+(\.\d+){1,3}$/.test(release.version))
    throw new Error(`a core release's version is digits and dots: ${release.version}`);
  const dir = mkdtempSync(join(tmpdir(), "steward-wpcore-"));
  try {
    const out = join(dir, "wordpress");
    cpSync(release.tree, out, {
      recursive: true,
      dereference: true,
      filter: (source) => !notCore.has(relative(release.tree, source).split("/")[0] ?? ""),
    });
    const versionFile = join(out, "wp-includes/version.php");
    const stamped = readFileSync(versionFile, "utf8").replace(
      /^\$wp_version = '[^']*';$/m,
      `$wp_version = '${release.version}';`,
    );
    if (!stamped.includes(`'${release.version}'`))
      throw new Error("version.php has no $wp_version");
    writeFileSync(versionFile, stamped);
    for (const [path, text] of Object.entries(release.files ?? {})) {
      if (path.split("/").includes("..")) throw new Error(`a package path without ..: ${path}`);
      writeFileSync(join(out, path), text);
    }
    await run("zip", ["-q", "-r", join(dir, "out.zip"), "wordpress"], { cwd: dir });
    return readFileSync(join(dir, "out.zip"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
