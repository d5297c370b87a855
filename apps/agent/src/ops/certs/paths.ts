// Where a site's certificate lives on the node, from the agent's configuration and the id:
//   <tlsDir>/<id>/key.pem         the private key nginx uses (root, 0600)
//   <tlsDir>/<id>/fullchain.pem   the certificate and its chain (root, 0644)
//   <tlsDir>/<id>/next-key.pem    a key made by cert.request, waiting for its certificate
//   <sitesRoot>/.steward/acme-challenge/<token>   http-01 answers, served on port 80 for every
//                                 site (root, 0644: a key authorization is no secret)
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { AgentConfig } from "../../config.ts";
import { safe } from "../sites/escape.ts";
import { asFailure } from "../sites/paths.ts";

export interface CertPaths {
  dir: string;
  key: string;
  chain: string;
  nextKey: string;
}

export function certPaths(config: AgentConfig, id: string): CertPaths {
  try {
    const dir = safe("path", join(config.tlsDir, safe("id", id)));
    return {
      dir,
      key: join(dir, "key.pem"),
      chain: join(dir, "fullchain.pem"),
      nextKey: join(dir, "next-key.pem"),
    };
  } catch (e) {
    throw asFailure(e);
  }
}

/** The directory nginx serves /.well-known/acme-challenge/ from, for every site. */
export const challengeDir = (config: AgentConfig) =>
  safe("path", join(config.sitesRoot, ".steward", "acme-challenge"));

/** The site's certificate files when both are there (the vhost then serves HTTPS). */
export function installedCertificate(config: AgentConfig, id: string): CertPaths | null {
  const p = certPaths(config, id);
  return existsSync(p.key) && existsSync(p.chain) ? p : null;
}
