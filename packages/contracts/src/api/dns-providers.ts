// DNS providers (C9 dns-01): an account's credential at a DNS host that publishes the ACME
// dns-01 TXT records (Cloudflare first). The token is checked when it is added or tested,
// sealed at rest and never answered.
import { z } from "zod";
import { domain, id, label } from "../validators.ts";

export const dnsProviderKind = z.enum(["cloudflare"]);

export const dnsProvider = z.object({
  id: z.string(),
  accountId: z.string(),
  kind: dnsProviderKind,
  name: z.string(),
  /** the zones the token reaches (dns-01 covers names inside them) */
  zones: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DnsProvider = z.infer<typeof dnsProvider>;

/** A Cloudflare API token: what Cloudflare issues (letters, digits, - and _). */
export const cloudflareToken = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{20,200}$/,
    "must be a Cloudflare API token (20 to 200 letters, digits, - and _)",
  );

export const dnsProviderCreate = z.strictObject({
  account: id,
  kind: dnsProviderKind.default("cloudflare"),
  name: label(63),
  token: cloudflareToken,
  /** the zones to use; default every zone the token reaches (each must be found) */
  zones: z.array(domain).min(1, "must list at least one zone").max(100).optional(),
});
export type DnsProviderCreate = z.infer<typeof dnsProviderCreate>;

export const dnsProviderListQuery = z.strictObject({ account: id });
