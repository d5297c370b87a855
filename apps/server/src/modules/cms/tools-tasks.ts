// The site tools' tasks (docs/cms.md#tools): `cms.backup` takes an Akeeba Backup of a Joomla
// site to its end, `cms.scan` runs Admin Tools' PHP File Change Scanner to its end. Run-once,
// one attempt (a half-taken backup is not retried blindly), one task at a time per site.
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import type { CmsTaskDeps } from "./tasks.ts";
import { takeBackup } from "./tools-akeeba.ts";
import { startScan, stepScan } from "./tools-joomla.ts";

export const CMS_BACKUP = "cms.backup";
export const CMS_SCAN = "cms.scan";

const backupPayload = z.strictObject({
  siteId: z.string(),
  profile: z.number().int(),
  description: z.string(),
});
const scanPayload = z.strictObject({ siteId: z.string() });

async function joomlaTarget(deps: CmsTaskDeps, siteId: string) {
  const site = await repo.findSite(deps.db.db, siteId);
  if (!site) throw new PermanentError("the site was removed");
  if (site.kind !== "joomla") throw new PermanentError("only Joomla sites have this tool");
  return { url: site.url, username: site.username, password: deps.secrets.open(site.secret_enc) };
}

function backupTask(deps: CmsTaskDeps): HandlerDef<typeof backupPayload> {
  return {
    kind: CMS_BACKUP,
    description: "takes an Akeeba Backup of a Joomla site, step by step to its end",
    payload: backupPayload,
    timeoutMs: 60 * 60_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    async run(ctx) {
      const { siteId, profile, description } = ctx.task.payload;
      const target = await joomlaTarget(deps, siteId);
      const done = await takeBackup(
        target,
        { policy: deps.policy() },
        { profile, description },
        (line) => ctx.log.info(line),
      );
      ctx.log.info(`backup ${done.backupId} complete (record ${done.record ?? "?"})`);
      return done;
    },
  };
}

function scanTask(deps: CmsTaskDeps): HandlerDef<typeof scanPayload> {
  return {
    kind: CMS_SCAN,
    description: "runs Admin Tools' PHP File Change Scanner on a Joomla site to its end",
    payload: scanPayload,
    timeoutMs: 60 * 60_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    async run(ctx) {
      const target = await joomlaTarget(deps, ctx.task.payload.siteId);
      const options = { policy: deps.policy() };
      let s = await startScan(target, options);
      for (let i = 0; !s.done && i < 100_000; i++) s = await stepScan(target, options);
      ctx.log.info(`scan ${s.id} complete`);
      return { scanId: s.id };
    },
  };
}

export function registerCmsToolTasks(registry: Registry, deps: CmsTaskDeps) {
  registry.register(backupTask(deps));
  registry.register(scanTask(deps));
}
