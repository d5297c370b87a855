// A site must not take a name another server block on this node already serves: nginx would
// give it to whichever file loads first (warning only, and `nginx -t -q` hides the warning),
// or to the Steward site outright when the other block serves it by a wildcard or a regex.
// `nginx -T` is the test of the staged configuration and the list of everything it loads;
// every name of the site (served and redirecting) is checked against every server_name in
// every other file. A refusal names the file when it is not a Steward site's; a name in
// another site's file is "used by another site", without saying which (a site's users read
// this message). The dump itself never reaches the result: it holds every tenant's names.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { basename, dirname, resolve } from "node:path";
import { nginxDumpArgv } from "../../system/service.ts";
import { type OpContext, OpFailure } from "../types.ts";
import type { SiteNames } from "./names.ts";
import { patternRegex, servedNames, serves } from "./served.ts";

/** what `nginx -T` may print: every site's file of a large node fits */
const MAX_DUMP = 256 * 1024 * 1024;
const STEWARD_FILE = /^steward-site-[A-Za-z0-9_-]+\.conf$/;

/** Tests nginx's configuration (with the site's file staged) and refuses names served elsewhere. */
export async function testNginxNames(ctx: OpContext, ownFile: string, names: SiteNames) {
  const dump = await ctx.exec("test nginx configuration", nginxDumpArgv(ctx.config), {
    maxOutput: MAX_DUMP,
    recordStdout: false,
  });
  await ctx.step("check that no other server block serves the site's names", () => {
    if (!dump.stdout.startsWith("# configuration file "))
      throw new OpFailure("NGINX_DUMP", "nginx -T did not list the configuration files it loads");
    const all = [...names.served, ...names.redirects.flatMap((r) => r.names)];
    const refusals = takenNames(dump.stdout, all, ownFile, ctx.config.nginx.sitesDir, (w) =>
      ctx.log("warn", w),
    );
    if (refusals.length > 0)
      throw new OpFailure(
        "NAME_TAKEN",
        `${refusals.join("; ")}: remove the name there first, or choose another`,
      );
  });
}

/** One sentence per name of the site that another file serves (empty: all free). */
export function takenNames(
  dump: string,
  names: string[],
  ownFile: string,
  sitesDir: string,
  warn: (message: string) => void,
): string[] {
  const own = resolve(ownFile);
  const host = hostname();
  // a pattern that serves a random name is a catch-all (like default_server), not a claim
  const probe = `x${randomBytes(8).toString("hex")}.invalid`;
  const claims = servedNames(dump).filter((s) => {
    if (resolve(s.file) === own) return false;
    if (s.pattern.startsWith("~") && !patternRegex(s.pattern)) {
      warn(`${s.file}: server_name ${s.pattern} is not checked (not a regex this agent reads)`);
      return false;
    }
    return !serves(s.pattern, probe, host);
  });
  const out: string[] = [];
  for (const name of names) {
    const by = claims.find((c) => serves(c.pattern, name, host));
    if (!by) continue;
    const steward =
      STEWARD_FILE.test(basename(by.file)) && resolve(dirname(by.file)) === resolve(sitesDir);
    out.push(
      steward
        ? `${name} is already used by another site on this node`
        : `${name} is already served on this node by ${by.file} (server_name ${by.pattern})`,
    );
  }
  return out;
}
