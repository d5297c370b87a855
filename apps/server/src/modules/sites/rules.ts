// Rules of websites that need no database: the names a site answers to, its system user,
// and what the node is asked to apply.
import type { agent, SiteCreate } from "@steward/contracts";
import type { OutboundPolicy } from "@steward/contracts/net";
import type { SiteRow } from "./repo.ts";

/** Every name a site answers to: its domains, aliases and the www counterparts it redirects. */
export function namesOf(s: {
  domains: string[];
  aliases: string[];
  redirect: "none" | "to-www" | "to-non-www";
}): string[] {
  const names = new Set([...s.domains, ...s.aliases]);
  if (s.redirect !== "none") {
    for (const d of s.domains) names.add(d.startsWith("www.") ? d.slice(4) : `www.${d}`);
  }
  return [...names];
}

/** The site's own system user: "s" and the id's random part (32 characters at most). */
export function systemUserOf(siteId: string): string {
  return `s${siteId
    .replace(/^site_/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`.slice(0, 24);
}

/** The operation input for the node, from the row (desired state) and the node's policy. */
export function applyInput(r: SiteRow, outbound: OutboundPolicy): agent.SiteApplyInput {
  return {
    id: r.id,
    kind: r.kind,
    domains: JSON.parse(r.domains) as string[],
    aliases: JSON.parse(r.aliases) as string[],
    redirect: r.redirect,
    user: r.system_user,
    root: r.root,
    ...(r.upstream ? { upstream: r.upstream } : {}),
    outbound,
    suspended: r.status === "suspended" || Number(r.suspended) === 1,
    phpAllowExec: Number(r.php_allow_exec) === 1,
  };
}

export type { SiteCreate };
