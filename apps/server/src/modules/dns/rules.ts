// Turning checkZone's issues into the API's 400: each issue names its field. For a change to
// one record the record's own fields are named as the body's ("body.value"), any other
// record's as records.<id>.<field>; for a list sent whole as body.records.<index>.<field>.
import type { DnsRecordItem } from "@steward/contracts";
import { checkZone, type DnsRecord, type RecordInput } from "@steward/contracts/dns";
import { AppError } from "../../lib/errors.ts";

function fail(details: { field: string; message: string }[]): never {
  const first = details[0];
  throw new AppError(
    "VALIDATION_FAILED",
    first ? `${first.field}: ${first.message}` : "the zone is not valid",
    details,
  );
}

/** The records of a zone made canonical, or a 400 naming records.<index>.<field>. */
export function checkAll(
  zone: string,
  inputs: RecordInput[],
  prefix = "body.records",
): DnsRecord[] {
  const r = checkZone(zone, inputs);
  if (r.records) return r.records;
  return fail(
    r.issues.map((i) => ({ field: [prefix, ...i.path.slice(1)].join("."), message: i.message })),
  );
}

/**
 * The zone with one record added (`at` null) or changed (`at` its index), canonical, or a 400:
 * the record's own problems name its field, the others' records.<id>.<field>.
 */
export function checkWith(
  zone: string,
  current: DnsRecordItem[],
  record: RecordInput,
  at: number | null,
): DnsRecord[] {
  const inputs: RecordInput[] = current.map(({ id: _id, ...r }) => r);
  const index = at ?? inputs.length;
  inputs[index] = record;
  const r = checkZone(zone, inputs);
  if (r.records) return r.records;
  return fail(
    r.issues.map((i) => {
      const [, n, field] = i.path;
      if (n === index && field !== undefined)
        return { field: `body.${String(field)}`, message: i.message };
      const id = typeof n === "number" ? current[n]?.id : undefined;
      const where = [id ? `records.${id}` : "records", ...(field === undefined ? [] : [field])];
      return { field: where.join("."), message: i.message };
    }),
  );
}

/** Cloudflare's TTL range (1, "automatic", is read as 300 seconds: cloudflare-records.ts). */
export const PROVIDER_TTL_MIN = 60;
export const PROVIDER_TTL_MAX = 86400;

/** A zone at a DNS provider: every TTL within the provider's range, or a 400 at `field(i)`. */
export function checkProviderTtls(
  atProvider: boolean,
  records: readonly { ttl: number }[],
  field: (index: number) => string,
) {
  if (!atProvider) return;
  const i = records.findIndex((r) => r.ttl < PROVIDER_TTL_MIN || r.ttl > PROVIDER_TTL_MAX);
  if (i !== -1)
    fail([
      {
        field: field(i),
        message: `must be between ${PROVIDER_TTL_MIN} and ${PROVIDER_TTL_MAX} seconds at Cloudflare`,
      },
    ]);
}
