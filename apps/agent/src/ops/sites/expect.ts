// What a site should answer, name by name, as the verify step asks it. A static or PHP site
// is asked for a check file the agent puts in its document root for the moment of the
// check (random name, created exclusively, never following a link, removed afterwards):
// that proves nginx serves this site's root for this name (and, for PHP, that the site's
// pool executed it) whatever the site's own content is.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { open, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Expectation } from "./verify.ts";

export const REDIRECT_PROBE = "/steward-verify";

export interface SiteShape {
  kind: string;
  suspended: boolean;
  /** the HTTPS port when the site serves a certificate (port 80 then redirects to it) */
  tlsPort: number | null;
  served: string[];
  redirects: { target: string; names: string[] }[];
}

export interface CheckFile {
  /** the URL path */
  path: string;
  body: string;
  remove(): Promise<void>;
}

/** Puts a check file in the document root; the caller removes it (finally). */
export async function placeCheckFile(documentRoot: string, php: boolean): Promise<CheckFile> {
  const token = randomBytes(16).toString("hex");
  const name = `steward-check-${token}.${php ? "php" : "html"}`;
  const body = `steward-check ${token}`;
  const file = join(documentRoot, name);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fh = await open(file, flags, 0o644);
  try {
    // PHP prints the token; if PHP did not run, the answer holds "<?php" and does not match
    await fh.writeFile(php ? `<?php echo "steward-check ", "${token}";\n` : body);
  } finally {
    await fh.close();
  }
  return { path: `/${name}`, body, remove: () => rm(file, { force: true }) };
}

/** Every name of the site with what it should answer (the check file for served names). */
export function expectations(shape: SiteShape, check: CheckFile | null): Expectation[] {
  const out: Expectation[] = [];
  const tls = shape.tlsPort === null ? {} : { tls: shape.tlsPort };
  const https = (name: string) =>
    `https://${name}${shape.tlsPort === 443 ? "" : `:${shape.tlsPort}`}${REDIRECT_PROBE}`;
  for (const name of shape.served) {
    if (shape.tlsPort !== null)
      out.push({ name, path: REDIRECT_PROBE, is: "redirect", location: https(name) });
    if (shape.suspended) out.push({ name, path: "/", is: "suspended", ...tls });
    else if (shape.kind === "proxy") out.push({ name, path: "/", is: "upstream", ...tls });
    else if (check) out.push({ name, path: check.path, is: "content", body: check.body, ...tls });
  }
  for (const r of shape.redirects)
    for (const name of r.names) {
      const location =
        shape.tlsPort === null ? `http://${r.target}${REDIRECT_PROBE}` : https(r.target);
      out.push({ name, path: REDIRECT_PROBE, is: "redirect", location });
      if (shape.tlsPort !== null)
        out.push({ name, path: REDIRECT_PROBE, is: "redirect", location, ...tls });
    }
  return out;
}
