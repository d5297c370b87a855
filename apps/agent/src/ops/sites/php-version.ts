// A PHP site's PHP-FPM version (docs/sites.md): the node's default (`phpFpm` in agent.json)
// or another version installed side by side in Debian's layout (`/usr/sbin/php-fpm8.1`,
// `/etc/php/8.1/fpm/pool.d`, unit `php8.1-fpm`). The pool lives in its version's pool
// directory and is tested and reloaded by its version's php-fpm; a version the node does not
// have stops the operation before anything is written.
import type { PhpFpmConfig } from "../../config.ts";
import { phpFpmDefaults, phpVersions } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";

/** The PHP-FPM of a version (absent: the default); refuses one the node does not have. */
export function phpFpmOf(ctx: OpContext, version: string | undefined): PhpFpmConfig {
  const d = ctx.config.phpFpm;
  if (version === undefined || version === d.version) return d;
  const { versions } = phpVersions(ctx.config);
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
  const { versions } = phpVersions(ctx.config);
  for (const v of [ctx.config.phpFpm.version, ...versions].filter(
    (x, i, all) => x !== keep && all.indexOf(x) === i,
  )) {
    const php = withPhpFpm(ctx, phpFpmOf(ctx, v));
    if (await ctx.removeFile(poolOf(php))) changed.push(php);
  }
  return changed;
}
