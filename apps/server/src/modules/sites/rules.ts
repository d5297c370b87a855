// Rules of websites that need no database: the names a site answers to, its system user,
// and what the node is asked to apply.
import type { agent, SiteCreate } from "@steward/contracts";
import { DEFAULT_WRITABLE_DIRS } from "@steward/contracts/agent";
import type { OutboundPolicy } from "@steward/contracts/net";
import { type SiteNameKind, type SiteRecord, writableDirsOf } from "./repo.ts";

type Named = {
  domains: string[];
  aliases: string[];
  redirect: "none" | "to-www" | "to-non-www";
};

/**
 * Every name a site answers to, as stored in site_domains: its domains (the first is the
 * primary), aliases, and the www counterparts its redirect answers to; each name once.
 */
export function nameRows(s: Named): { domain: string; kind: SiteNameKind; position: number }[] {
  const rows = new Map<string, { kind: SiteNameKind; position: number }>();
  const add = (names: string[], kind: SiteNameKind) => {
    for (const [position, name] of names.entries())
      if (!rows.has(name)) rows.set(name, { kind, position });
  };
  add(s.domains, "domain");
  add(s.aliases, "alias");
  if (s.redirect !== "none")
    add(
      s.domains.map((name) => (name.startsWith("www.") ? name.slice(4) : `www.${name}`)),
      "www",
    );
  return [...rows].map(([domain, row]) => ({ domain, ...row }));
}

/** Every name a site answers to. */
export const namesOf = (s: Named): string[] => nameRows(s).map((row) => row.domain);

/** The site's own system user: "s" and the id's random part (32 characters at most). */
export function systemUserOf(siteId: string): string {
  return `s${siteId
    .replace(/^site_/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`.slice(0, 24);
}

/**
 * The operation input for the node, from the row (desired state), the node's policy,
 * whether the site's certificate asks for HSTS, its protected paths and PHP settings.
 */
export function applyInput(
  r: SiteRecord,
  outbound: OutboundPolicy,
  hsts = false,
  extra: { protection: agent.ProtectedLocation[]; php: agent.PhpSettings } = {
    protection: [],
    php: {},
  },
): agent.SiteApplyInput {
  // the account layout: the main user owns the files (and PHP runs as its CGI user)
  const account = r.layout === "account" && r.main_user ? { main: r.main_user } : null;
  return {
    id: r.id,
    kind: r.kind,
    domains: r.domains,
    aliases: r.aliases,
    redirect: r.redirect,
    user: account ? account.main : r.system_user,
    ...(account ? { account } : {}),
    ...(r.kind === "php" && r.php_version ? { phpVersion: r.php_version } : {}),
    root: r.root,
    ...(r.upstream ? { upstream: r.upstream } : {}),
    outbound,
    suspended: r.status === "suspended" || Number(r.suspended) === 1,
    phpAllowExec: Number(r.php_allow_exec) === 1,
    hsts,
    // kept while the site is of another kind, sent only to the kinds that use them
    protection: r.kind === "proxy" ? [] : extra.protection,
    php: r.kind === "php" ? extra.php : {},
    // absent: the node's default (uploads/), which older agents know without the field
    ...(r.kind === "php" && !isDefaultWritable(writableDirsOf(r))
      ? { writableDirs: writableDirsOf(r) }
      : {}),
  };
}

const isDefaultWritable = (dirs: string[]) =>
  dirs.length === DEFAULT_WRITABLE_DIRS.length &&
  dirs.every((d, i) => d === DEFAULT_WRITABLE_DIRS[i]);

export type { SiteCreate };

/** The removal's input: the site's home is where its applied layout put it. */
export function removeInput(r: SiteRecord): agent.SiteRemoveInput {
  const account = r.applied_layout === "account" && r.main_user ? { main: r.main_user } : null;
  return {
    id: r.id,
    user: account ? account.main : r.system_user,
    keepFiles: Number(r.keep_files) === 1,
    ...(account ? { account } : {}),
  };
}
