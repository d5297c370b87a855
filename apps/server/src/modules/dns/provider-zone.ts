// A new zone held at a DNS provider of its account (Cloudflare) instead of a node: the
// provider must be the account's and its token must reach the zone; the zone starts with the
// name servers Cloudflare assigned it at "@" (the zone's rules want NS records there; they are
// Cloudflare's, never written) and, asked, with the records Cloudflare already holds (import).
// Every problem is a 400 at body.provider, in words, and nothing is written (the caller
// checked the provider is of the zone's account).
import type { RecordInput } from "@steward/contracts/dns";
import { PermanentError } from "../../engine/types.ts";
import { invalid } from "../../lib/errors.ts";
import type { ProviderHandle } from "../dns-providers/service.ts";
import { cloudflareWords, zoneAt } from "./cloudflare-apply.ts";
import { fromCloudflare, isApexNs } from "./cloudflare-records.ts";

const FIELD = "body.provider";

export async function providerStart(
  provider: ProviderHandle,
  input: { name: string; import: boolean; records: RecordInput[] },
): Promise<RecordInput[]> {
  if (!provider.zones.includes(input.name))
    throw invalid(
      FIELD,
      `the token of ${provider.name} does not reach ${input.name}: it reaches ${provider.zones.join(", ") || "no zone"} (test the provider again after giving it the zone)`,
    );
  try {
    const zone = await zoneAt(provider.client, provider.name, input.name);
    const held = input.import ? await provider.client.records(zone.id, {}) : [];
    const imported = held
      .map((r) => fromCloudflare(r))
      .filter((r): r is RecordInput => r !== null && !isApexNs(r, input.name));
    const given = [...input.records, ...imported];
    const ns = given.some((r) => isApexNs(r, input.name))
      ? []
      : (zone.name_servers ?? []).map((n) => ({ name: "@", type: "NS" as const, value: `${n}.` }));
    return [...given, ...ns];
  } catch (err) {
    const words =
      err instanceof PermanentError ? err : cloudflareWords(err, provider.name, input.name);
    throw invalid(FIELD, words.message);
  }
}
