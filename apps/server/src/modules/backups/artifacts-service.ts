// Restoring, test-restoring and downloading an artifact through the API and the CLI. A restore
// and a test restore are tasks on the node that reaches the target (restore-tasks.ts); the
// account's operators restore into their account's database servers only (another account's
// looks missing), a node's path is a super user's. An identity given for an artifact of a
// `recipients` plan is held sealed for the task until it takes it (held-keys.ts), never in its
// payload, log or audit. The audit keeps the target and the task.
import type { ArtifactRestoreRequest } from "@steward/contracts/backups";
import { enforce } from "../../access/decision.ts";
import { backups as policy } from "../../access/policies/backups.ts";
import type { Ctx } from "../../access/types.ts";
import type { AgentClient } from "../../agents/client.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { openDownload, type PolicySettings } from "./download.ts";
import { holdKey } from "./held-keys.ts";
import { findPlan } from "./plans-repo.ts";
import { findDestination } from "./repo.ts";
import { contentOf, resolveTarget } from "./restore-target.ts";
import { BACKUP_RESTORE } from "./restore-tasks.ts";
import * as runs from "./runs-repo.ts";
import { BACKUP_VERIFY } from "./verify-tasks.ts";

export interface ArtifactsDeps {
  db: Db;
  engine: Engine;
  secrets: Secrets;
  settings: PolicySettings;
  /** reads an artifact of a node's directory for a download */
  agents: () => Promise<Pick<AgentClient, "stream">>;
}

export function createArtifactsService({ db, engine, secrets, settings, agents }: ArtifactsDeps) {
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string, decide = policy.canRead) {
    const row = await runs.findArtifact(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup artifact ${id}`);
    enforce(ctx, decide(ctx, row));
    if (row.deleted_at !== null)
      throw conflict(`backup artifact ${id} was deleted (retention) and cannot be read`);
    return row;
  }

  /** An identity is needed (and allowed) only for an encrypted artifact without a panel key. */
  async function checkIdentity(row: runs.ArtifactRow, identity: string | undefined) {
    const encrypted = row.name.endsWith(".enc");
    if (!encrypted && identity)
      throw invalid("identity", "the artifact is not encrypted: give no identity");
    if (!encrypted || identity) return;
    const plan = await findPlan(k, row.plan_id);
    if (!plan?.private_key_sealed)
      throw invalid(
        "identity",
        "the artifact is encrypted for the plan's recipients: give one of their private keys",
      );
  }

  /** Enqueues the task (holding the identity for it before anyone can claim it) and audits. */
  async function start(
    ctx: Ctx,
    row: runs.ArtifactRow,
    kind: typeof BACKUP_RESTORE | typeof BACKUP_VERIFY,
    payload: Record<string, unknown>,
    identity: string | undefined,
    audit: Record<string, unknown>,
  ) {
    const taskId = await k.transaction().execute(async (trx) => {
      const { task } = await engine.enqueue(
        {
          kind,
          payload: { ...payload, artifactId: row.id, heldKey: identity !== undefined },
          accountId: row.account_id,
          target: { type: "backup-artifact", id: row.id },
          onSuccess: "disable",
          createdBy: ctx.actor?.email || ctx.actor?.name || null,
        },
        trx,
      );
      if (identity) await holdKey(trx, secrets, task.id, identity);
      const verb = kind === BACKUP_RESTORE ? "restore" : "verify";
      const after = { ...audit, taskId: task.id, identityGiven: identity !== undefined };
      await recordAudit(
        trx,
        ctx,
        changeOf("backup-artifact", row.id, verb, { after }, row.account_id),
      );
      return task.id;
    });
    return taskId;
  }

  return {
    async restore(ctx: Ctx, id: string, input: ArtifactRestoreRequest) {
      const row = await mustFind(ctx, id, policy.canRun);
      await checkIdentity(row, input.identity);
      const { nodeId, target } = await resolveTarget(k, ctx, row, input.target);
      const payload = { nodeId, target, dryRun: input.dryRun };
      const taskId = await start(ctx, row, BACKUP_RESTORE, payload, input.identity, payload);
      return { artifactId: id, taskId, kind: BACKUP_RESTORE, dryRun: input.dryRun } as const;
    },

    async verify(ctx: Ctx, id: string, input: { identity?: string | undefined }) {
      const row = await mustFind(ctx, id, policy.canRun);
      if (contentOf(row.name) === "mongodb")
        throw invalid("id", "a MongoDB archive has no test restore here (no server to restore to)");
      await checkIdentity(row, input.identity);
      const taskId = await start(ctx, row, BACKUP_VERIFY, {}, input.identity, {});
      return { artifactId: id, taskId, kind: BACKUP_VERIFY, dryRun: false } as const;
    },

    /** The artifact as stored, or decrypted and decompressed: a stream, never buffered. */
    async download(ctx: Ctx, id: string, o: { decrypt: boolean; identity?: string | undefined }) {
      const row = await mustFind(ctx, id, policy.canRun);
      if (o.identity) await checkIdentity(row, o.identity);
      const destination = await findDestination(k, row.destination_id);
      if (!destination) throw conflict("the artifact's destination was deleted");
      const decrypt = o.decrypt || o.identity !== undefined;
      const plan = await findPlan(k, row.plan_id);
      const opened = await openDownload({ secrets, settings, agents }, row, destination, plan, {
        decrypt,
        identity: o.identity,
      });
      await k
        .transaction()
        .execute((trx) =>
          recordAudit(
            trx,
            ctx,
            changeOf(
              "backup-artifact",
              id,
              "download",
              { after: { decrypt, identityGiven: o.identity !== undefined } },
              row.account_id,
            ),
          ),
        );
      return opened;
    },
  };
}

export type ArtifactsService = ReturnType<typeof createArtifactsService>;
