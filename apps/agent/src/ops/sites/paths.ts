// Where a site lives on the node, from the agent's configuration and the site id alone:
//   <sitesRoot>/<id>                  home (site user, nginx's group, 0710: nginx may only go
//                                     through it; other site users get nothing)
//   <sitesRoot>/<id>/<root>           document root
//   <homeRoot>/<main>/home/web/<id>   home instead, in the account layout (the account's main
//                                     user's home: account.ts)
//   <sitesRoot>/.steward              pages the agent serves itself (suspended.html)
//   <logDir>/sites/<id>               access.log, error.log (root-owned: nginx's master opens
//                                     them as root, so the site user must not be able to
//                                     swap them for symlinks)
//   <nginx.sitesDir>/steward-site-<id>.conf, <phpFpm.poolDir>/steward-site-<id>.conf
//   <phpFpm.socketDir>/steward-site-<id>.sock
//   <sitesRoot>/.steward/auth/<id>/<n>.htpasswd  one per protected path (root, nginx's group,
//                                     0640: outside the home, the site's user cannot read it)
import { join } from "node:path";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";
import { RenderError, safe } from "./escape.ts";

export interface SitePaths {
  home: string;
  logDir: string;
  configFile: string;
  poolFile: string;
  phpSocket: string;
  pagesDir: string;
  /** the htpasswd files of the site's protected paths */
  authDir: string;
}

/** a unix socket path longer than this does not fit in sockaddr_un */
const MAX_SOCKET_PATH = 107;

/** The home of a site in the account layout: `web/<id>` in the main user's home. */
export const accountSiteHome = (config: AgentConfig, main: string, id: string) =>
  join(config.hosting.homeRoot, main, "home", "web", id);

export function sitePaths(config: AgentConfig, id: string, account?: { main: string }): SitePaths {
  try {
    const name = `steward-site-${safe("id", id)}`;
    const home = account
      ? accountSiteHome(config, safe("user", account.main), id)
      : join(config.sitesRoot, id);
    const p = {
      home: safe("path", home),
      logDir: safe("path", join(config.logDir, "sites", id)),
      configFile: safe("path", join(config.nginx.sitesDir, `${name}.conf`)),
      poolFile: safe("path", join(config.phpFpm.poolDir, `${name}.conf`)),
      phpSocket: safe("path", join(config.phpFpm.socketDir, `${name}.sock`)),
      pagesDir: safe("path", join(config.sitesRoot, ".steward")),
      authDir: safe("path", join(config.sitesRoot, ".steward", "auth", id)),
    };
    if (Buffer.byteLength(p.phpSocket) > MAX_SOCKET_PATH)
      throw new OpFailure(
        "PATH_TOO_LONG",
        `the PHP-FPM socket ${p.phpSocket} is longer than ${MAX_SOCKET_PATH} bytes: shorten phpFpm.socketDir in agent.json`,
      );
    return p;
  } catch (e) {
    throw asFailure(e);
  }
}

export function documentRoot(paths: SitePaths, root: string): string {
  try {
    return safe("path", join(paths.home, root));
  } catch (e) {
    throw asFailure(e);
  }
}

/** A refusal to render becomes a failure the panel shows as is. */
export function asFailure(e: unknown): unknown {
  if (e instanceof RenderError) return new OpFailure("OP_INPUT_INVALID", e.message);
  return e;
}
