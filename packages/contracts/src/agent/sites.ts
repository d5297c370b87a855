// Websites (C8) as the agent applies them. The panel validates everything first with these
// same schemas; the agent validates again before it renders a single byte.
import { z } from "zod";
import { mainUserName } from "../hosting/names.ts";
import { DEFAULT_POLICY, outboundPolicy } from "../net/policy.ts";
import { domain, id, relativePath, systemUser, upstream } from "../validators.ts";
import { phpSettings, siteProtection } from "./site-settings.ts";
import { writableDirs } from "./writable-dirs.ts";

export const siteKind = z.enum(["static", "php", "proxy"]);
export const wwwRedirect = z.enum(["none", "to-www", "to-non-www"]);
/** The names a site answers to; the first is the primary name. */
export const siteDomains = z.array(domain).min(1, "must list at least one domain").max(100);
/** More names that redirect to the primary one. */
export const siteAliases = z.array(domain).max(100);
/** What a site is, in the API's input and the agent's alike (the API adds its node and account). */
export const siteFields = {
  kind: siteKind,
  domains: siteDomains,
  aliases: siteAliases.default([]),
  redirect: wwwRedirect.default("none"),
  /** document root inside the site's home directory */
  root: relativePath.default("public"),
  /** for kind proxy */
  upstream: upstream.optional(),
};

/** A PHP-FPM version as Debian installs it side by side (`/usr/sbin/php-fpm8.2`). */
export const phpVersion = z.string().regex(/^[5-9]\.[0-9]{1,2}$/, "must be a PHP version like 8.2");

/**
 * The account layout (docs/hosting.md): the site's files live in the home of its account's
 * main system user (`<homeRoot>/<main>/home/web/<site id>`, owned by it) and its PHP runs as
 * the account's CGI user (`<main>-cgi`), which may write only its writable directories
 * (`writableDirs`) and its temp files.
 * Absent: the site's own user and home under the sites root.
 */
export const siteAccount = z.strictObject({ main: mainUserName });

/** A rule on a whole site, as `.refine(...rule)` takes it: the check, and the error's field. */
type SiteRule<T> = [check: (site: T) => boolean, error: { message: string; path: string[] }];
type KindAndUpstream = { kind: z.infer<typeof siteKind>; upstream?: string | null };
/** A proxy site names its upstream: a rule of the API's input and of the agent's alike. */
export const proxyNeedsUpstream: SiteRule<KindAndUpstream> = [
  (site) => site.kind !== "proxy" || site.upstream !== undefined,
  { message: "is required for a proxy site", path: ["upstream"] },
];
/** Only a proxy site has an upstream. */
export const upstreamOnlyForProxy: SiteRule<KindAndUpstream> = [
  (site) => site.kind === "proxy" || site.upstream === undefined,
  { message: "is only for proxy sites", path: ["upstream"] },
];
/** No name twice among a site's domains and aliases. */
export const namesOnce: SiteRule<{ domains: string[]; aliases: string[] }> = [
  (site) =>
    new Set([...site.domains, ...site.aliases]).size === site.domains.length + site.aliases.length,
  { message: "must not repeat a name", path: ["domains"] },
];

export const siteApplyInput = z
  .strictObject({
    id,
    ...siteFields,
    /** the site's system user (owner of its files, its PHP-FPM pool runs as it) */
    user: systemUser,
    /** the node's outbound policy for the upstream (the strictest when absent) */
    outbound: outboundPolicy.default(DEFAULT_POLICY),
    suspended: z.boolean().default(false),
    /** PHP sites: the site's PHP may start processes (exec, shell_exec, proc_open...) */
    phpAllowExec: z.boolean().default(false),
    /** with a certificate installed: Strict-Transport-Security on the HTTPS answers */
    hsts: z.boolean().default(false),
    /** paths answered only with HTTP basic auth (static and PHP sites), users' hashes only */
    protection: siteProtection.default([]),
    /** PHP sites: php.ini values of the site's own pool, from the allow-list */
    php: phpSettings.default({}),
    /** the account layout; absent: the site's own user and home */
    account: siteAccount.optional(),
    /** PHP sites: the PHP-FPM version of the site's pool; absent: the node's default */
    phpVersion: phpVersion.optional(),
    /**
     * PHP sites: directories of the document root PHP may write (the account layout makes
     * them the CGI user's group's, writable); nginx runs no `.php` below them in both layouts.
     * Absent (what older panels send): `uploads` (siteWritableDirs)
     */
    writableDirs: writableDirs.optional(),
  })
  .refine(...proxyNeedsUpstream)
  .refine(...namesOnce)
  .refine((s) => s.kind !== "proxy" || s.protection.length === 0, {
    message: "is only for static and PHP sites",
    path: ["protection"],
  })
  .refine((s) => s.kind === "php" || Object.keys(s.php).length === 0, {
    message: "is only for PHP sites",
    path: ["php"],
  })
  .refine((s) => !s.account || s.user === s.account.main, {
    message: "must be the account's main user in the account layout",
    path: ["user"],
  })
  .refine((s) => s.kind === "php" || s.phpVersion === undefined, {
    message: "is only for PHP sites",
    path: ["phpVersion"],
  });
export type SiteApplyInput = z.infer<typeof siteApplyInput>;

export const siteApplyOutput = z.object({
  /** where the site's files are on the node */
  home: z.string(),
  documentRoot: z.string(),
  configFile: z.string(),
  /** the serial (hex) every name served in a TLS handshake; absent: no certificate yet */
  tlsSerial: z.string().optional(),
  /** what holds but deserves a look (a proxy's upstream does not answer yet); absent: none */
  warnings: z.array(z.string()).optional(),
});

export const siteRemoveInput = z.strictObject({
  id,
  user: systemUser,
  keepFiles: z.boolean().default(true),
  /** the account layout the site had (its home is in the main user's) */
  account: siteAccount.optional(),
});
export type SiteRemoveInput = z.input<typeof siteRemoveInput>;

/**
 * site.migrate-layout: moves a site of the own layout (`<sitesRoot>/<id>`, its user
 * `fromUser`) into its account's layout, as `site` asks (its `account` set).
 */
export const siteMigrateInput = z
  /** id: the site's, as every site operation's (the agent runs one at a time per id) */
  .strictObject({ id, site: siteApplyInput, fromUser: systemUser })
  .refine((m) => m.site.id === m.id, { message: "must be the site's id", path: ["id"] })
  .refine((m) => m.site.account !== undefined, {
    message: "is required: the account layout to move to",
    path: ["site", "account"],
  });
export type SiteMigrateInput = z.infer<typeof siteMigrateInput>;

/** What a name answered before and after the move (status, content type). */
export const siteAnswer = z.object({
  name: z.string(),
  status: z.number(),
  contentType: z.string().nullable(),
});

export const siteMigrateOutput = siteApplyOutput.extend({
  /** the home the files came from (deleted once the site answered the same) */
  movedFrom: z.string(),
  before: z.array(siteAnswer),
  after: z.array(siteAnswer),
});
