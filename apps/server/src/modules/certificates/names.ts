// What a certificate covers and how it is validated: the site's names, with a wildcard of its
// primary domain when asked (the names one label under it then go: the wildcard covers them,
// and CAs refuse a name a wildcard of the same order makes redundant); the challenge is the
// one asked for, else dns-01 when a provider of the account covers every name, else http-01.
import { namesOf } from "../sites/rules.ts";
import { type Dns01Provider, providerFor } from "./dns01.ts";

type SiteNames = Parameters<typeof namesOf>[0] & { primary_domain: string };

export function certificateNames(site: SiteNames, wildcard: boolean): string[] {
  const names = namesOf(site);
  if (!wildcard) return names;
  const base = site.primary_domain;
  const under = (n: string) =>
    n.endsWith(`.${base}`) && !n.slice(0, -base.length - 1).includes(".");
  return [...names.filter((n) => !under(n)), `*.${base}`];
}

export type Challenge =
  | { type: "http-01" }
  | { type: "dns-01"; provider: Dns01Provider }
  | { type: "none"; why: string };

/** How a certificate of `names` is validated, given its choice and the account's providers. */
export async function chooseChallenge(
  asked: "http-01" | "dns-01" | null,
  names: readonly string[],
  providers: readonly Dns01Provider[],
): Promise<Challenge> {
  const wildcard = names.some((n) => n.startsWith("*."));
  if (asked === "http-01" && !wildcard) return { type: "http-01" };
  const provider = await providerFor(providers, names);
  if (provider) return { type: "dns-01", provider };
  if (asked === null && !wildcard) return { type: "http-01" };
  return {
    type: "none",
    why: `dns-01 needs a DNS provider of the account covering ${names.join(", ")}: add one (a Cloudflare token reaching the zone) under DNS providers`,
  };
}
