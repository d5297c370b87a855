// The site tools on a WordPress site, through the Steward connector's routes (docs/cms.md#tools;
// connectors/wordpress/steward-connector: scanner.php, lockout.php, temporary-admins.php): the
// PHP file change scanner (start, step, scans, results, one result), unblocking an address of
// the connector's login lockout, a temporary administrator and its removal. The same shapes as
// Admin Tools' on Joomla (tools-joomla.ts).
import { z } from "zod";
import { connector, type WpOptions, type WpTarget } from "./wordpress.ts";

const V1 = "/steward/v1";

export const unblockIp = (t: WpTarget, o: WpOptions, ip: string) =>
  connector(
    t,
    o,
    { method: "POST", path: `${V1}/unblock`, body: { ip } },
    z.object({ ip: z.string().max(45), blocked: z.boolean() }),
  );

export const temporarySuperUser = (t: WpTarget, o: WpOptions, expiresAt: string) =>
  connector(
    t,
    o,
    { method: "POST", path: `${V1}/temporary-admin`, body: { expiresAt } },
    z.object({
      username: z.string().regex(/^steward-tmp-[a-f0-9]{8}$/),
      password: z.string().max(200),
      expiration: z.string().max(50),
    }),
  );

/** Removes a temporary administrator the connector made; `removed` false when it was gone. */
export const removeTemporaryAdmin = (t: WpTarget, o: WpOptions, username: string) =>
  connector(
    t,
    o,
    { method: "POST", path: `${V1}/temporary-admin/remove`, body: { username } },
    z.object({ username: z.string(), removed: z.boolean() }),
  );

const scanStep = z.object({ id: z.number().int(), done: z.boolean() });
export const startScan = (t: WpTarget, o: WpOptions) =>
  connector(t, o, { method: "POST", path: `${V1}/scanner/start`, timeoutMs: 120_000 }, scanStep);
export const stepScan = (t: WpTarget, o: WpOptions) =>
  connector(t, o, { method: "POST", path: `${V1}/scanner/step`, timeoutMs: 120_000 }, scanStep);

const scan = z.object({
  id: z.number().int(),
  startedAt: z.string().max(50),
  endedAt: z.string().max(50).nullable(),
  status: z.string().max(20),
  filesNew: z.number().int(),
  filesModified: z.number().int(),
  totalFiles: z.number().int(),
});
const finding = z.object({
  signature: z.string().max(100),
  line: z.number().int(),
  text: z.string().max(1000),
});
const alert = z.object({
  id: z.number().int(),
  scanId: z.number().int(),
  path: z.string().max(4096),
  status: z.string().max(20),
  threatScore: z.number(),
  acknowledged: z.boolean(),
  findings: z.array(finding).max(20).optional(),
});
const page = (offset: number, limit: number) => `offset=${offset}&limit=${limit}`;

export const listScans = (t: WpTarget, o: WpOptions, offset: number, limit: number) =>
  connector(
    t,
    o,
    { method: "GET", path: `${V1}/scans?${page(offset, limit)}` },
    z.array(scan).max(100),
  );

export const listScanAlerts = (
  t: WpTarget,
  o: WpOptions,
  scanId: number,
  offset: number,
  limit: number,
) =>
  connector(
    t,
    o,
    { method: "GET", path: `${V1}/scans/${scanId}?${page(offset, limit)}` },
    z.array(alert.omit({ findings: true })).max(100),
  );

export const scanAlert = (t: WpTarget, o: WpOptions, alertId: number) =>
  connector(t, o, { method: "GET", path: `${V1}/scan-alerts/${alertId}` }, alert);
