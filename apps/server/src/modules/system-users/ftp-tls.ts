// FTPS with the certificates capability (docs/hosting.md#ftps-certificate): per node, an
// installation admin names a site on that node whose certificate pure-ftpd serves; the
// ftp.tls task sends it to the node's agent (which writes pure-ftpd's PEM, restarts it and
// checks AUTH TLS serves it), at once and again after every install of that site's
// certificate (issued, renewed, uploaded: the certificates' afterInstall hook).
import type { agent } from "@steward/contracts";
import type { FtpCertificate } from "@steward/contracts/hosting";
import type { Kysely } from "kysely";
import { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { nodes as nodePolicy } from "../../access/policies/nodes.ts";
import { sites as sitePolicy } from "../../access/policies/sites.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { stateOf } from "../nodes/repo.ts";
import { findSite } from "../sites/repo.ts";
import * as repo from "./ftp-tls-repo.ts";
import type { CallOperation } from "./tasks.ts";

export const FTP_TLS = "ftp.tls";

const payload = z.strictObject({ nodeId: z.string() });

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function view(nodeId: string, row: repo.FtpCertificateRow | undefined): FtpCertificate {
  return {
    node: nodeId,
    site: row?.site_id ?? null,
    serial: row?.serial ?? null,
    taskId: row?.task_id ?? null,
    lastError: row?.last_error ?? null,
    updatedAt: iso(row?.updated_at ?? null),
  };
}

/** Queues the node's ftp.tls (a task still waiting is brought forward and reused). */
async function enqueueFtpTls(engine: Engine, trx: Kysely<Database>, nodeId: string) {
  const { task } = await engine.enqueue(
    {
      kind: FTP_TLS,
      payload: { nodeId },
      target: { type: "node", id: nodeId },
      bringForward: true,
    },
    trx,
  );
  await repo.updateFtpCertificate(trx, nodeId, { task_id: task.id });
  return task.id;
}

export function createFtpTlsService({ db, engine }: { db: Db; engine: Engine }) {
  const k = db.db;

  async function mustFindNode(ctx: Ctx, nodeId: string) {
    enforce(ctx, nodePolicy.canRead(ctx));
    if (!(await stateOf(k, nodeId))) throw notFound(`node ${nodeId}`);
  }

  return {
    async get(ctx: Ctx, nodeId: string) {
      await mustFindNode(ctx, nodeId);
      return view(nodeId, await repo.ftpCertificateOf(k, nodeId));
    },

    /**
     * Names the site (on this node) whose certificate the node's pure-ftpd serves, or none
     * (pure-ftpd keeps the file it has: the node's own setup from then on).
     */
    async set(ctx: Ctx, nodeId: string, siteId: string | null) {
      await mustFindNode(ctx, nodeId);
      enforce(ctx, nodePolicy.canConfigureFtps(ctx));
      if (siteId !== null) {
        const site = await findSite(k, siteId);
        if (!site || !sitePolicy.canRead(ctx, site).allowed || site.node_id !== nodeId)
          throw invalid("body.site", `no site ${siteId} on node ${nodeId}`);
      }
      const before = await repo.ftpCertificateOf(k, nodeId);
      await k.transaction().execute(async (trx) => {
        await repo.chooseFtpCertificate(trx, nodeId, siteId);
        await recordAudit(trx, ctx, {
          action: "node.ftp_certificate",
          targetType: "node",
          targetId: nodeId,
          diff: { before: { site: before?.site_id ?? null }, after: { site: siteId } },
        });
        if (siteId !== null) await enqueueFtpTls(engine, trx, nodeId);
      });
      return view(nodeId, await repo.ftpCertificateOf(k, nodeId));
    },
  };
}

/** After a site's certificate is installed, the nodes whose FTPS serves it install it again. */
export function reinstallFtpCertificate(deps: { db: Db; engine: () => Engine }) {
  return async (siteId: string) => {
    const k = deps.db.db;
    for (const row of await repo.nodesServing(k, siteId))
      await k.transaction().execute((trx) => enqueueFtpTls(deps.engine(), trx, row.node_id));
  };
}

function ftpTlsTask({ db, call }: { db: Db; call: CallOperation }): HandlerDef<typeof payload> {
  const k = db.db;
  return {
    kind: FTP_TLS,
    description: "installs the chosen site's certificate as the node's pure-ftpd certificate",
    payload,
    timeoutMs: 5 * 60_000,
    maxAttempts: 5,
    backoff: { baseMs: 5_000, maxMs: 300_000 },
    concurrency: { key: (p) => `ftp-tls:${p.nodeId}`, limit: 1 },
    async run(ctx) {
      const { nodeId } = ctx.task.payload;
      const row = await repo.ftpCertificateOf(k, nodeId);
      if (!row) {
        ctx.log.info("no FTPS certificate is chosen for this node: nothing to do");
        return null;
      }
      let result: agent.OpResult;
      try {
        result = await call(
          nodeId,
          "ftp.tls",
          { certificate: { id: row.site_id } },
          {
            signal: ctx.signal,
            onLog: (line, level) => ctx.log[level](line),
            requestId: ctx.task.id,
          },
        );
      } catch (err) {
        // the last attempt's failure stays on the row (earlier ones are retried)
        if (ctx.task.attempt >= ctx.task.maxAttempts || err instanceof PermanentError)
          await repo.updateFtpCertificate(k, nodeId, {
            last_error: err instanceof Error ? err.message : String(err),
          });
        throw err;
      }
      if (result.status !== "ok") {
        const message = result.error?.message ?? `the node answered ${result.status}`;
        await repo.updateFtpCertificate(k, nodeId, { last_error: message });
        throw new PermanentError(message);
      }
      const out = result.output as agent.OpOutput<"ftp.tls">;
      for (const note of out.notes) ctx.log.warn(note);
      await repo.updateFtpCertificate(k, nodeId, { serial: out.serial, last_error: null });
      ctx.log.info(`FTPS serves certificate ${out.served ?? out.serial}`);
      return { changed: result.changed, serial: out.serial };
    },
  };
}

export function registerFtpTlsTasks(registry: Registry, deps: { db: Db; call: CallOperation }) {
  registry.register(ftpTlsTask(deps));
}
