// The site tools' tasks (docs/cms.md#tools): `cms.backup` takes an Akeeba Backup of a Joomla
// site to its end, `cms.scan` runs the PHP file change scanner to its end (Admin Tools' on
// Joomla, the Steward connector's on WordPress), `cms.temporary-admin-expiry` removes a
// WordPress temporary administrator at its expiry. Run-once, one attempt (a half-taken backup
// is not retried blindly; the expiry, 3), one task at a time per site.
import { z } from "zod";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import * as repo from "./repo.ts";
import type { CmsTaskDeps } from "./tasks.ts";
import { takeBackup } from "./tools-akeeba.ts";
import * as joomla from "./tools-joomla.ts";
import * as wordpress from "./tools-wordpress.ts";

export const CMS_BACKUP = "cms.backup";
export const CMS_SCAN = "cms.scan";
export const CMS_TEMPORARY_ADMIN_EXPIRY = "cms.temporary-admin-expiry";

const backupPayload = z.strictObject({
  siteId: z.string(),
  profile: z.number().int(),
  description: z.string(),
});
const scanPayload = z.strictObject({ siteId: z.string() });
const expiryPayload = z.strictObject({
  siteId: z.string(),
  username: z.string().regex(/^steward-tmp-[a-f0-9]{8}$/),
});

async function siteTarget(deps: CmsTaskDeps, siteId: string, joomlaOnly = false) {
  const site = await repo.findSite(deps.db.db, siteId);
  if (!site) throw new PermanentError("the site was removed");
  if (joomlaOnly && site.kind !== "joomla")
    throw new PermanentError("only Joomla sites have this tool");
  const target = {
    url: site.url,
    username: site.username,
    password: deps.secrets.open(site.secret_enc),
  };
  return { kind: site.kind, target };
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
      const { target } = await siteTarget(deps, siteId, true);
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
    description: "runs a CMS site's PHP file change scanner to its end",
    payload: scanPayload,
    timeoutMs: 60 * 60_000,
    maxAttempts: 1,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    async run(ctx) {
      const { kind, target } = await siteTarget(deps, ctx.task.payload.siteId);
      const tools = kind === "joomla" ? joomla : wordpress;
      const options = { policy: deps.policy() };
      let s = await tools.startScan(target, options);
      for (let i = 0; !s.done && i < 100_000; i++) s = await tools.stepScan(target, options);
      ctx.log.info(`scan ${s.id} complete`);
      return { scanId: s.id };
    },
  };
}

function expiryTask(deps: CmsTaskDeps): HandlerDef<typeof expiryPayload> {
  return {
    kind: CMS_TEMPORARY_ADMIN_EXPIRY,
    description: "removes a temporary administrator from a WordPress site at its expiry",
    payload: expiryPayload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 3,
    concurrency: { key: (p) => `cms-site:${p.siteId}`, limit: 1 },
    async run(ctx) {
      const { siteId, username } = ctx.task.payload;
      const { target } = await siteTarget(deps, siteId);
      const done = await wordpress.removeTemporaryAdmin(
        target,
        { policy: deps.policy() },
        username,
      );
      ctx.log.info(done.removed ? `${username} removed` : `${username} was already gone`);
      return done;
    },
  };
}

export function registerCmsToolTasks(registry: Registry, deps: CmsTaskDeps) {
  registry.register(backupTask(deps));
  registry.register(scanTask(deps));
  registry.register(expiryTask(deps));
}
