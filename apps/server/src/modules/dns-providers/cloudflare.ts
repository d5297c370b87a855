// Cloudflare as a dns-01 provider: the token is checked in words a person can act on (invalid,
// without the Zone.DNS permission, a zone it does not reach), and the challenge's TXT
// records are created and deleted in the zone holding the name.
import type { Settings } from "../../config/schema.ts";
import {
  type CloudflareClient,
  CloudflareError,
  cloudflareClient,
} from "../../integrations/cloudflare/client.ts";
import { panelEndpoints } from "../../lib/outbound.ts";
import type { Dns01Provider } from "../certificates/dns01.ts";

type CloudflareSettings = Pick<
  Settings,
  "cloudflareApi" | "outboundAllow" | "outboundDeny" | "listen" | "port" | "publicUrl"
>;

/** A client under the installation's outbound policy (no private ranges unless allowed). */
export const clientFor = (token: string, settings: CloudflareSettings): CloudflareClient =>
  cloudflareClient(token, settings.cloudflareApi, {
    policy: {
      allowPrivate: false,
      allow: [...settings.outboundAllow],
      deny: [...settings.outboundDeny],
      endpoints: panelEndpoints(settings, true),
    },
  });

/** A check that failed: the field to blame and why, in words. */
export class TokenProblem extends Error {
  readonly field: "token" | "zones";
  constructor(field: "token" | "zones", message: string) {
    super(message);
    this.field = field;
  }
}

const words = (err: unknown, what: string) => {
  if (err instanceof CloudflareError && (err.has(1000) || err.has(6003) || err.status === 401))
    return new TokenProblem(
      "token",
      "Cloudflare says the token is invalid (or expired, or revoked)",
    );
  if (err instanceof CloudflareError && err.has(10000))
    return new TokenProblem(
      "token",
      `the token lacks the Zone.DNS permission (${what}): give it "Zone → DNS → Edit" on the zones`,
    );
  return new TokenProblem(
    "token",
    `Cloudflare could not be asked (${what}): ${(err as Error).message}`,
  );
};

/**
 * Checks a token: it verifies as active, reaches the zones (`wanted`, or every zone it sees)
 * and may read their DNS records. Answers the zone names it covers.
 */
export async function checkToken(client: CloudflareClient, wanted?: string[]): Promise<string[]> {
  const verified = await client.verifyToken().catch((err) => {
    throw words(err, "verifying the token");
  });
  if (verified.status !== "active")
    throw new TokenProblem("token", `the token is ${verified.status}, not active`);
  const zones = await client.zones().catch((err) => {
    throw words(err, "listing zones");
  });
  const names = zones.map((z) => z.name);
  const missing = (wanted ?? []).filter((w) => !names.includes(w));
  if (missing.length)
    throw new TokenProblem(
      "zones",
      `zone ${missing.join(", ")} not found: the token reaches ${names.join(", ") || "no zone"}`,
    );
  if (!names.length) throw new TokenProblem("zones", "the token reaches no zone");
  const used = zones.filter((z) => !wanted || wanted.includes(z.name));
  for (const zone of used)
    await client.records(zone.id, { type: "TXT" }).catch((err) => {
      throw words(err, `reading the records of ${zone.name}`);
    });
  return used.map((z) => z.name);
}

/** The zone of `fqdn` among `zones`: the longest that holds it. */
export const zoneOf = (zones: readonly string[], fqdn: string) =>
  [...zones]
    .sort((a, b) => b.length - a.length)
    .find((z) => fqdn === z || fqdn.endsWith(`.${z}`)) ?? null;

export function cloudflareDns01(
  label: string,
  zones: readonly string[],
  client: CloudflareClient,
): Dns01Provider {
  const zoneId = async (fqdn: string) => {
    const name = zoneOf(zones, fqdn);
    const found = name ? (await client.zones(name))[0] : undefined;
    if (!found) throw new Error(`no zone of the token holds ${fqdn}`);
    return found.id;
  };
  return {
    label,
    covers: async (fqdn) => zoneOf(zones, fqdn) !== null,
    async present(fqdn, value) {
      await client.createRecord(await zoneId(fqdn), {
        type: "TXT",
        name: fqdn,
        content: value,
        ttl: 60,
        comment: "Steward ACME dns-01",
      });
    },
    async cleanup(fqdn, value) {
      const id = await zoneId(fqdn);
      for (const record of await client.records(id, { type: "TXT", name: fqdn }))
        if (record.content === value) await client.deleteRecord(id, record.id);
    },
  };
}
