// Websites (C8) as the agent applies them. The panel validates everything first with these
// same schemas; the agent validates again before it renders a single byte.
import { z } from "zod";
import { DEFAULT_POLICY, outboundPolicy } from "../net/policy.ts";
import { domain, id, relativePath, systemUser, upstream } from "../validators.ts";

export const siteKind = z.enum(["static", "php", "proxy"]);
export const wwwRedirect = z.enum(["none", "to-www", "to-non-www"]);

export const siteApplyInput = z
  .strictObject({
    id,
    kind: siteKind,
    /** the names it answers to; the first is the primary name */
    domains: z.array(domain).min(1, "must list at least one domain").max(100),
    /** more names that redirect to the primary one */
    aliases: z.array(domain).max(100).default([]),
    redirect: wwwRedirect.default("none"),
    /** the site's system user (owner of its files, its PHP-FPM pool runs as it) */
    user: systemUser,
    /** document root inside the site's home directory */
    root: relativePath.default("public"),
    /** for kind proxy */
    upstream: upstream.optional(),
    /** the node's outbound policy for the upstream (the strictest when absent) */
    outbound: outboundPolicy.default(DEFAULT_POLICY),
    suspended: z.boolean().default(false),
    /** PHP sites: the site's PHP may start processes (exec, shell_exec, proc_open...) */
    phpAllowExec: z.boolean().default(false),
  })
  .refine((s) => s.kind !== "proxy" || s.upstream !== undefined, {
    message: "is required for a proxy site",
    path: ["upstream"],
  })
  .refine(
    (s) => new Set([...s.domains, ...s.aliases]).size === s.domains.length + s.aliases.length,
    {
      message: "must not repeat a name",
      path: ["domains"],
    },
  );
export type SiteApplyInput = z.infer<typeof siteApplyInput>;

export const siteApplyOutput = z.object({
  /** where the site's files are on the node */
  home: z.string(),
  documentRoot: z.string(),
  configFile: z.string(),
  /** what holds but deserves a look (a proxy's upstream does not answer yet); absent: none */
  warnings: z.array(z.string()).optional(),
});

export const siteRemoveInput = z.strictObject({
  id,
  user: systemUser,
  keepFiles: z.boolean().default(true),
});
