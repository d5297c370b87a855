// Which names a site serves and which ones redirect where. The primary name is the first
// domain in its canonical form: with "to-www" example.com is served as www.example.com and
// example.com redirects to it; "to-non-www" is the reverse. Every other domain keeps its own
// canonical form (its counterpart redirects to it); aliases redirect to the primary name.
import type { SiteApplyInput } from "@steward/contracts/agent";
import { RenderError } from "./escape.ts";

export interface SiteNames {
  /** served names, the primary first */
  served: string[];
  /** redirecting names grouped by target (the target first in each pair) */
  redirects: { target: string; names: string[] }[];
}

type Redirect = SiteApplyInput["redirect"];

function canonical(name: string, mode: Redirect): string {
  if (mode === "to-www" && !name.startsWith("www.")) return `www.${name}`;
  if (mode === "to-non-www" && name.startsWith("www.") && name.slice(4).includes("."))
    return name.slice(4);
  return name;
}

function counterpart(name: string, mode: Redirect): string | null {
  if (mode === "none") return null;
  if (name.startsWith("www.")) return name.slice(4).includes(".") ? name.slice(4) : null;
  return `www.${name}`;
}

export function siteNames(site: Pick<SiteApplyInput, "domains" | "aliases" | "redirect">) {
  const mode = site.redirect;
  const served = [...new Set(site.domains.map((d) => canonical(d, mode)))];
  const primary = served[0];
  if (!primary) throw new RenderError("a site needs at least one domain");
  const taken = new Set(served);
  const redirects = new Map<string, string[]>();
  const add = (target: string, name: string) => {
    if (taken.has(name)) return;
    taken.add(name);
    redirects.set(target, [...(redirects.get(target) ?? []), name]);
  };
  for (const d of site.domains) {
    const c = canonical(d, mode);
    if (d !== c) add(c, d);
    const other = counterpart(c, mode);
    // a derived name longer than DNS allows is simply not answered
    if (other && other !== c && other.length <= 253) add(c, other);
  }
  for (const a of site.aliases) {
    if (served.includes(a))
      throw new RenderError(`${a} is both served and an alias (its www form is a domain)`);
    add(primary, a);
  }
  return {
    served,
    redirects: [...redirects].map(([target, names]) => ({ target, names })),
  } satisfies SiteNames;
}
