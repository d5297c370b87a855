// A PHP site's PHP-FPM version (docs/sites.md): the node's default (`phpFpm` in agent.json)
// or another version installed side by side in Debian's layout (`/usr/sbin/php-fpm8.1`,
// `/etc/php/8.1/fpm/pool.d`, unit `php8.1-fpm`). The pool lives in its version's pool
// directory and is tested and reloaded by its version's php-fpm; a version the node does not
// have stops the operation before anything is written.
import type { PhpFpmConfig } from "../../config.ts";
import { installedPhpFpm, phpFpmDefaults } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";

/** The versions a site may ask for: the default and those installed beside it. */
export function phpVersionsOf(ctx: OpContext, sbin?: string): string[] {
  const installed = installedPhpFpm(sbin);
  const d = ctx.config.phpFpm.version;
  return [d, ...installed.filter((v) => v !== d)];
}

/** The PHP-FPM of a version (absent: the default); refuses one the node does not have. */
export function phpFpmOf(ctx: OpContext, version: string | undefined, sbin?: string): PhpFpmConfig {
  const d = ctx.config.phpFpm;
  if (version === undefined || version === d.version) return d;
  const versions = phpVersionsOf(ctx, sbin);
  if (!versions.includes(version))
    throw new OpFailure(
      "CONFIG",
      `PHP ${version} is not installed on this node (installed: ${versions.join(", ")}): choose one of those, or install php${version}-fpm`,
    );
  return phpFpmDefaults({ version, socketDir: d.socketDir });
}

/** The operation's context with another PHP-FPM as "php-fpm" (its paths, tests, reloads). */
export function withPhpFpm(ctx: OpContext, php: PhpFpmConfig): OpContext {
  return php === ctx.config.phpFpm ? ctx : { ...ctx, config: { ...ctx.config, phpFpm: php } };
}

/**
 * Takes the site's pool out of every other version's pool directory (a site that changed
 * version, or stopped being PHP); answers the PHP-FPMs whose pools changed, to test and reload.
 */
export async function dropOtherPools(
  ctx: OpContext,
  keep: string | null,
  poolOf: (php: OpContext) => string,
): Promise<OpContext[]> {
  const changed: OpContext[] = [];
  for (const v of phpVersionsOf(ctx).filter((x) => x !== keep)) {
    const php = withPhpFpm(ctx, phpFpmOf(ctx, v));
    if (await ctx.removeFile(poolOf(php))) changed.push(php);
  }
  return changed;
}
