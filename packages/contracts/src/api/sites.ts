// Websites (C8) through the API. The same field validators as the agent's operation, so a
// hostile value is refused here, before anything is written or sent to a node.
import { z } from "zod";
import {
  phpVersion,
  proxyNeedsUpstream,
  siteAliases,
  siteDomains,
  siteFields,
  siteKind,
  upstreamOnlyForProxy,
  wwwRedirect,
} from "../agent/sites.ts";
import { writableDirs } from "../agent/writable-dirs.ts";
import { sortQuery } from "../pagination.ts";
import { id, relativePath, text, upstream } from "../validators.ts";
import { siteDnsRecords } from "./dns.ts";

export const siteLayout = z.enum(["site", "account"]);
export const siteStatus = z.enum(["pending", "active", "failed", "suspended", "deleting"]);

export const site = z.object({
  id: z.string(),
  accountId: z.string(),
  nodeId: z.string(),
  kind: siteKind,
  /** the names in ASCII (internationalised ones as xn-- A-labels), as nginx and DNS use them */
  domains: z.array(z.string()),
  aliases: z.array(z.string()),
  /** the same names, in the same order, in Unicode for display (bücher.example) */
  domainsUnicode: z.array(z.string()),
  aliasesUnicode: z.array(z.string()),
  redirect: wwwRedirect,
  root: z.string(),
  upstream: z.string().nullable(),
  systemUser: z.string(),
  status: siteStatus,
  suspended: z.boolean(),
  /** PHP sites: the site's PHP may start processes (exec, shell_exec, proc_open...) */
  phpAllowExec: z.boolean(),
  /**
   * where its files live and who runs its PHP: `site` (its own system user and home) or
   * `account` (its account's main system user's home; PHP as `<main>-cgi`)
   */
  layout: siteLayout,
  /** a move into the account layout was asked and has not succeeded yet */
  moving: z.boolean(),
  /** the system user owning its files on the node (the account's main user in its layout) */
  filesUser: z.string(),
  /** the system user its PHP runs as (PHP sites), or null */
  phpUser: z.string().nullable(),
  /** PHP sites: the PHP-FPM version of its pool; null: the node's default */
  phpVersion: z.string().nullable(),
  /**
   * PHP sites: directories of the document root its PHP may write; the account layout makes
   * them writable for the CGI user (docs/sites.md, "Writable directories")
   */
  writableDirs: z.array(z.string()),
  /** why the last apply failed, in words a person can act on */
  lastError: z.string().nullable(),
  /** what the last apply reported without failing (a proxy whose upstream does not answer yet) */
  warning: z.string().nullable(),
  /** the task applying the latest change, while there is one */
  taskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Site = z.infer<typeof site>;

export const siteCreate = z
  .strictObject({
    node: id,
    /** the account the site belongs to; the installation's default account if omitted */
    account: id.optional(),
    ...siteFields,
    /** let the site's PHP start processes (exec, shell_exec, proc_open...); off unless true */
    phpAllowExec: z.boolean().optional(),
    /** PHP sites: one of the PHP-FPM versions the node reports (its facts); default: the node's */
    phpVersion: phpVersion.optional(),
    /** PHP sites: directories of the document root its PHP may write; default `["uploads"]` */
    writableDirs: writableDirs.optional(),
    /**
     * HTTPS by ACME once the site's names resolve (default); false: HTTP only (a certificate
     * can be asked for later, POST /api/v1/certificates)
     */
    https: z.boolean().optional(),
    /** an HTTP monitor of the site's primary domain, removed with the site (default); false: none */
    monitor: z.boolean().optional(),
    /** A/AAAA records for its names in the zones Steward manages for the account (docs/dns.md) */
    dnsRecords: siteDnsRecords.optional(),
  })
  .refine(...proxyNeedsUpstream)
  .refine(...upstreamOnlyForProxy)
  .refine((s) => s.kind === "php" || s.phpVersion === undefined, {
    message: "is only for PHP sites",
    path: ["phpVersion"],
  })
  .refine((s) => s.kind === "php" || s.writableDirs === undefined, {
    message: "is only for PHP sites",
    path: ["writableDirs"],
  });
export type SiteCreate = z.infer<typeof siteCreate>;

/** Any of a site's fields (no defaults: what is absent stays); `upstream: null` removes it. */
export const siteUpdate = z
  .strictObject({
    kind: siteKind,
    domains: siteDomains,
    aliases: siteAliases,
    redirect: wwwRedirect,
    root: relativePath,
    upstream: upstream.nullable(),
    phpAllowExec: z.boolean(),
    /** PHP sites: a PHP-FPM version the node has; null: the node's default */
    phpVersion: phpVersion.nullable(),
    /** PHP sites: the directories of the document root its PHP may write (the whole list) */
    writableDirs,
    /** true: the site's default monitor (made if it has none); false: removed */
    monitor: z.boolean(),
  })
  .partial();
export type SiteUpdate = z.infer<typeof siteUpdate>;

/** What the sites list sorts by: the primary name, creation, status, node. */
export const siteSorts = ["name", "createdAt", "status", "node"] as const;
export const siteListQuery = z.strictObject({
  node: id.optional(),
  account: id.optional(),
  status: siteStatus.optional(),
  /** the start of one of the site's names (domains and aliases) */
  q: text(253).optional(),
  sort: sortQuery(siteSorts),
});

export const siteDeleteQuery = z.strictObject({
  /** keep the site's files on the node (default true) */
  keepFiles: z.enum(["true", "false"]).default("true"),
});

/** A change's answer: the site and the task applying it. */
export const siteChange = site.extend({ taskId: z.string() });

/** A node the caller may place sites on: enrolled, not revoked. */
export const sitePlacement = z.object({ id: z.string(), name: z.string() });
export const sitePlacements = z.object({ items: z.array(sitePlacement) });
