// How a site's policies judge its offers (docs/cms.md#update-policies). The most specific
// policy decides: the site's for that extension, the account's for that extension, the
// site's, the account's, else Steward's default (notify only, stable versions only). A
// site's window, keyword and visual check are its own when it sets them, else the account's.
import {
  type CmsUpdateOffer,
  DEFAULT_VISUAL_THRESHOLD,
  type JudgedOffer,
  type policySource,
  type UpdateLevel,
  type UpdateWindow,
  type VisualCheck,
} from "@steward/contracts";
import type { z } from "zod";
import { type PolicyRow, windowOf } from "./update-repo.ts";

type Source = z.infer<typeof policySource>;

export interface SiteSettings {
  level: UpdateLevel;
  stableOnly: boolean;
  source: Source;
  window: UpdateWindow | null;
  keyword: string | null;
  visualCheck: VisualCheck;
  /** % of the home page's pixels an update may change */
  visualThreshold: number;
}

export const DEFAULT_LEVEL: UpdateLevel = "notify";

export function siteSettings(rows: PolicyRow[], siteId: string): SiteSettings {
  const site = rows.find((r) => r.site_id === siteId && r.ext_type === "");
  const account = rows.find((r) => r.site_id === "" && r.ext_type === "");
  const base = site ?? account;
  return {
    level: base?.level ?? DEFAULT_LEVEL,
    stableOnly: base ? Number(base.stable_only) === 1 : true,
    source: site ? "site" : account ? "account" : "default",
    window: (site && windowOf(site)) ?? (account && windowOf(account)) ?? null,
    keyword: site?.keyword ?? account?.keyword ?? null,
    visualCheck: Number(site?.visual_check ?? account?.visual_check ?? 0) === 1 ? "on" : "off",
    visualThreshold: Number(
      site?.visual_threshold ?? account?.visual_threshold ?? DEFAULT_VISUAL_THRESHOLD,
    ),
  };
}

const numbers = (v: string) => (v.match(/^\d+(\.\d+)*/)?.[0] ?? "0").split(".").map(Number);

/** How far an update goes, read as semantic versions: 1.2.3 → 1.3.0 is a minor one. */
export function bumpOf(from: string, to: string): "major" | "minor" | "patch" {
  const [a, b] = [numbers(from), numbers(to)];
  if ((a[0] ?? 0) !== (b[0] ?? 0)) return "major";
  if ((a[1] ?? 0) !== (b[1] ?? 0)) return "minor";
  return "patch";
}

/** A version with letters (beta, RC, alpha, dev) is not a stable release. */
export const isStable = (version: string) => !/[a-z]/i.test(version);

const rank: Record<UpdateLevel, number> = { none: 0, notify: 0, patch: 1, minor: 2, major: 3 };

/** One offer judged by the most specific policy that names it. */
export function judge(rows: PolicyRow[], siteId: string, offer: CmsUpdateOffer): JudgedOffer {
  const slug = offer.type === "core" ? "" : offer.slug;
  const named = (site: string) =>
    rows.find((r) => r.site_id === site && r.ext_type === offer.type && r.ext_slug === slug);
  const own = named(siteId) ?? named("");
  const settings = siteSettings(rows, siteId);
  const level = own?.level ?? settings.level;
  const stableOnly = own ? Number(own.stable_only) === 1 : settings.stableOnly;
  const source: Source = own ? (own.site_id ? "site-extension" : "extension") : settings.source;
  const bump = bumpOf(offer.from, offer.to);
  let reason: string | null = null;
  if (level === "none") reason = "the policy leaves it alone";
  else if (level === "notify") reason = "the policy only notifies";
  else if (own?.skip_version === offer.to) reason = `version ${offer.to} is skipped`;
  else if (stableOnly && !isStable(offer.to)) reason = `${offer.to} is not a stable version`;
  else if (rank[bump] > rank[level])
    reason = `a ${bump} update; the policy applies up to ${level} ones`;
  return { ...offer, level, source, automatic: reason === null, reason };
}
