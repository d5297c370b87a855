// Akeeba Backup Professional on a Joomla site (docs/cms.md#tools): its JSON API v2 endpoint and
// secret as the Panopticon connector tells them (v1/panopticon/akeebabackup/info), the endpoint
// on the site's own origin, the method and its parameters as a form, answers `{status, data}`:
// profiles, records, a backup taken step by step, its archive downloaded in segments, its files
// or record deleted.
import type { CmsBackups } from "@steward/contracts";
import { z } from "zod";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import { joomlaApi, resource } from "./joomla.ts";
import { ConnectorError, jsonOf, USER_AGENT, type WpOptions, type WpTarget } from "./wordpress.ts";

const attrs = <S extends z.ZodType>(s: S) =>
  resource(s).transform((r) => (r as { attributes: z.output<S> }).attributes);

const info = attrs(
  z.object({
    installed: z.boolean(),
    secret: z.string().max(200).nullable(),
    endpoints: z.object({ v2: z.array(z.string().max(2048)).max(10).optional() }).nullable(),
  }),
);

/** The JSON API endpoint and secret the connector tells, the endpoint on the site's origin. */
async function endpointOf(t: WpTarget, o: WpOptions) {
  const i = await joomlaApi(
    t,
    o,
    { method: "GET", path: "/v1/panopticon/akeebabackup/info" },
    info,
  );
  const endpoint = i.endpoints?.v2?.[0];
  if (!i.installed || !i.secret || !endpoint)
    throw new ConnectorError("Akeeba Backup Professional is not installed or its JSON API is off");
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConnectorError("Akeeba Backup's endpoint is not an address");
  }
  if (url.origin !== new URL(t.url).origin)
    throw new ConnectorError("Akeeba Backup's endpoint is not on the site's own address");
  url.searchParams.set("_akeebaAuth", i.secret);
  return url.toString();
}

const apiAnswer = z.object({ status: z.number().int(), data: z.unknown() });

/** One JSON API call: the method and its parameters as a form. */
async function akeeba(
  o: WpOptions,
  endpoint: string,
  method: string,
  params: Record<string, string | number> = {},
) {
  const form = new URLSearchParams({
    method,
    ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
  });
  const answer = await outboundRequest(
    {
      field: "url",
      method: "POST",
      url: endpoint,
      headers: {
        accept: "application/json",
        "user-agent": USER_AGENT,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: form.toString(),
      redirects: "none",
    },
    {
      policy: o.policy,
      who: "this panel",
      localAddresses: panelAddresses(),
      resolve: o.resolve,
      timeoutMs: 180_000,
      maxBytes: 16 * 1024 * 1024,
    },
  );
  const parsed = apiAnswer.safeParse(jsonOf(answer));
  if (answer.status !== 200 || !parsed.success)
    throw new ConnectorError(`Akeeba Backup's API answered HTTP ${answer.status}`);
  const { status, data } = parsed.data;
  if (status === 503) throw new ConnectorError("Akeeba Backup refused the secret word");
  if (status === 405) throw new ConnectorError(`Akeeba Backup does not know ${method} (too old?)`);
  if (status !== 200)
    throw new ConnectorError(
      `Akeeba Backup: ${typeof data === "string" ? data.slice(0, 300) : `status ${status}`}`,
    );
  return data;
}

const profiles = z
  .array(z.object({ id: z.coerce.number().int(), name: z.string().max(300) }))
  .max(1000);
const records = z
  .array(
    z.object({
      id: z.coerce.number().int(),
      description: z.string().max(1000),
      profile_id: z.coerce.number().int(),
      status: z.string().max(20),
      archivename: z.string().max(1000).nullable(),
      filesexist: z.coerce.boolean(),
      total_size: z.coerce.number().nullable(),
      backupstart: z.string().max(50),
      backupend: z.string().max(50).nullable(),
      multipart: z.coerce.number().int().nullable(),
    }),
  )
  .max(1000);

const parsed = <S extends z.ZodType>(schema: S, data: unknown): z.infer<S> => {
  const r = schema.safeParse(data);
  if (!r.success) throw new ConnectorError("Akeeba Backup's answer is not what it should be");
  return r.data;
};

export async function listBackups(t: WpTarget, o: WpOptions): Promise<CmsBackups> {
  const endpoint = await endpointOf(t, o);
  const p = parsed(profiles, await akeeba(o, endpoint, "getProfiles"));
  const r = parsed(records, await akeeba(o, endpoint, "listBackups", { from: 0, limit: 200 }));
  return {
    profiles: p,
    records: r.map((x) => ({
      id: x.id,
      description: x.description,
      profileId: x.profile_id,
      status: x.status,
      archive: x.archivename ?? "",
      filesExist: x.filesexist,
      size: x.total_size ?? 0,
      startedAt: x.backupstart,
      endedAt: x.backupend,
    })),
  };
}

const step = z.object({
  HasRun: z.coerce.number(),
  Error: z.string().max(2000),
  Progress: z.coerce.number().optional(),
  backupid: z.string().max(200),
  backup_id: z.coerce.number().int().optional(),
});

/** Takes a backup to its end (startBackup, then stepBackup while it has more to do). */
export async function takeBackup(
  t: WpTarget,
  o: WpOptions,
  request: { profile: number; description: string },
  log: (line: string) => void,
) {
  const endpoint = await endpointOf(t, o);
  let s = parsed(
    step,
    await akeeba(o, endpoint, "startBackup", {
      profile: request.profile,
      description: request.description,
    }),
  );
  for (let i = 0; s.HasRun && !s.Error && i < 10_000; i++) {
    log(`backup ${s.backupid}: ${s.Progress ?? "?"}%`);
    s = parsed(step, await akeeba(o, endpoint, "stepBackup", { backupid: s.backupid }));
  }
  if (s.Error) throw new ConnectorError(`the backup failed: ${s.Error}`);
  return { backupId: s.backupid, record: s.backup_id ?? null };
}

export async function deleteBackup(
  t: WpTarget,
  o: WpOptions,
  record: number,
  what: "files" | "record",
) {
  const endpoint = await endpointOf(t, o);
  await akeeba(o, endpoint, what === "files" ? "deleteFiles" : "delete", { backup_id: record });
}

const CHUNK = 1024 * 1024;

/** The archive (part 1), in segments of a MiB, as they arrive. */
export async function* downloadBackup(t: WpTarget, o: WpOptions, record: number, size: number) {
  const endpoint = await endpointOf(t, o);
  for (let segment = 1; (segment - 1) * CHUNK < size; segment++) {
    const data = await akeeba(o, endpoint, "download", {
      backup_id: record,
      part_id: 1,
      segment,
      chunk_size: CHUNK,
    });
    if (typeof data !== "string")
      throw new ConnectorError("Akeeba Backup's download is not base64");
    yield Buffer.from(data, "base64");
  }
}
