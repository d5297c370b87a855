// Admin Tools Professional on a Joomla site, through the Panopticon connector's
// v1/panopticon/admintools/… (docs/cms.md#tools): unblock, the firewall plugin off and on, a
// temporary Super User, the PHP File Change Scanner (start, step, scans, alerts, one alert).
// Akeeba Backup is tools-akeeba.ts.
import { z } from "zod";
import { joomlaApi, resource } from "./joomla.ts";
import type { WpOptions, WpTarget } from "./wordpress.ts";

const AT = "/v1/panopticon/admintools";
const attrs = <S extends z.ZodType>(s: S) =>
  resource(s).transform((r) => (r as { attributes: z.output<S> }).attributes);

export const unblockIp = (t: WpTarget, o: WpOptions, ip: string) =>
  joomlaApi(t, o, { method: "POST", path: `${AT}/unblock`, body: { ip: [ip] } }, z.unknown());

export const setFirewall = (t: WpTarget, o: WpOptions, enabled: boolean) =>
  joomlaApi(
    t,
    o,
    { method: "POST", path: `${AT}/plugin/${enabled ? "enable" : "disable"}` },
    attrs(z.object({ renamed: z.boolean() })),
  );

export const temporarySuperUser = (t: WpTarget, o: WpOptions, expiresAt: string) =>
  joomlaApi(
    t,
    o,
    { method: "POST", path: `${AT}/tempsuperuser`, body: { expiration: expiresAt } },
    attrs(
      z.object({
        username: z.string().max(150),
        password: z.string().max(200),
        expiration: z.string().max(50),
      }),
    ),
  );

const scanStep = attrs(z.object({ id: z.number().int(), done: z.boolean() }));
export const startScan = (t: WpTarget, o: WpOptions) =>
  joomlaApi(t, o, { method: "POST", path: `${AT}/scanner/start`, timeoutMs: 120_000 }, scanStep);
export const stepScan = (t: WpTarget, o: WpOptions) =>
  joomlaApi(t, o, { method: "POST", path: `${AT}/scanner/step`, timeoutMs: 120_000 }, scanStep);

const scan = z.object({
  id: z.number().int(),
  scanstart: z.string().max(50),
  scanend: z.string().max(50).nullable(),
  status: z.string().max(20),
  files_new: z.coerce.number(),
  files_modified: z.coerce.number(),
  totalfiles: z.coerce.number(),
});
const alert = z.object({
  id: z.number().int(),
  scan_id: z.number().int(),
  path: z.string().max(4096),
  status: z.string().max(20),
  threat_score: z.coerce.number(),
  acknowledged: z.coerce.number(),
  diff: z.string().max(1_000_000).optional(),
});
const toAlert = (a: z.infer<typeof alert>) => ({
  id: a.id,
  scanId: a.scan_id,
  path: a.path,
  status: a.status,
  threatScore: a.threat_score,
  acknowledged: a.acknowledged === 1,
  ...(a.diff === undefined ? {} : { diff: a.diff }),
});
const paging = (offset: number, limit: number) => `page[offset]=${offset}&page[limit]=${limit}`;

export const listScans = (t: WpTarget, o: WpOptions, offset: number, limit: number) =>
  joomlaApi(
    t,
    o,
    { method: "GET", path: `${AT}/scans?${paging(offset, limit)}` },
    z.array(attrs(scan)).max(100),
  ).then((items) =>
    items.map((s) => ({
      id: s.id,
      startedAt: s.scanstart,
      endedAt: s.scanend,
      status: s.status,
      filesNew: s.files_new,
      filesModified: s.files_modified,
      totalFiles: s.totalfiles,
    })),
  );

export const listScanAlerts = (
  t: WpTarget,
  o: WpOptions,
  scanId: number,
  offset: number,
  limit: number,
) =>
  joomlaApi(
    t,
    o,
    { method: "GET", path: `${AT}/scan/${scanId}?${paging(offset, limit)}` },
    z.array(attrs(alert)).max(100),
  ).then((items) => items.map((a) => toAlert({ ...a, diff: undefined })));

export const scanAlert = (t: WpTarget, o: WpOptions, alertId: number) =>
  joomlaApi(t, o, { method: "GET", path: `${AT}/scanalert/${alertId}` }, attrs(alert)).then(
    toAlert,
  );
