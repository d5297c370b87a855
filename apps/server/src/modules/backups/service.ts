// Backup destinations through the API and the CLI: each request authorized by the
// destinations' policy, hosts and endpoints checked by the outbound policy, the secret fields
// sealed at rest (never answered, never audited), "test destination" on create (a failing one
// refuses the create unless saveAnyway) and on demand, each test's result kept.

import type {
  BackupDestinationCreate,
  backupDestinationListQuery,
  DestinationTest,
} from "@steward/contracts/backups";
import type { z } from "zod";
import { enforce } from "../../access/decision.ts";
import { backupDestinations as policy } from "../../access/policies/backup-destinations.ts";
import type { Ctx } from "../../access/types.ts";
import { changeOf, recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { refuseFields } from "../../lib/outbound.ts";
import { requireAccount } from "../accounts/require.ts";
import { monitorPolicy } from "../monitors/policy.ts";
import {
  destinationTargets,
  openedSettings,
  type RunOnNode,
  runDestinationTest,
  splitSecrets,
} from "./destination-test.ts";
import { plansUsingDestination } from "./plans-repo.ts";
import * as repo from "./repo.ts";

type PolicySettings = Parameters<typeof monitorPolicy>[0];

export interface BackupsDeps {
  db: Db;
  secrets: Secrets;
  settings: Pick<Settings, "listen" | "port" | "publicUrl" | "outboundAllow" | "outboundDeny">;
  /** the panel's agent client (loaded with the first test of a node's directory) */
  runOperation: () => Promise<RunOnNode>;
}

export function createBackupsService({ db, secrets, settings, runOperation }: BackupsDeps) {
  const k = db.db;
  /** a node directory's test on its agent, for those who manage nodes */
  const onNode = (ctx: Ctx): RunOnNode | null =>
    policy.canTestOnNode(ctx).allowed ? async (...args) => (await runOperation())(...args) : null;
  const outbound = (accountId: string | null) =>
    monitorPolicy(settings as PolicySettings, accountId);
  const settingsOf = (row: repo.DestinationRow) => openedSettings(row, secrets);

  async function mustFind(ctx: Ctx, id: string, decide = policy.canRead) {
    const row = await repo.findDestination(k, id);
    // not visible and not existing look the same
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`backup destination ${id}`);
    enforce(ctx, decide(ctx, row));
    return row;
  }

  return {
    async list(
      ctx: Ctx,
      f: z.infer<typeof backupDestinationListQuery> & { limit: number; cursor?: string },
    ) {
      const scope = { where: policy.listScope(ctx), walks: policy.listWalks(ctx) };
      return repo.listDestinations(k, scope, {
        ...f,
        walk: repo.destinationOrder(f.sort, f.cursor),
      });
    },

    get: async (ctx: Ctx, id: string) => repo.toDestination(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: BackupDestinationCreate) {
      if (input.accountId === null) enforce(ctx, policy.canCreateShared(ctx));
      else {
        enforce(ctx, policy.canCreateIn(ctx, input.accountId));
        await requireAccount(k, input.accountId, "accountId");
      }
      if (input.settings.kind === "local") enforce(ctx, policy.canCreateOnNode(ctx));
      const refused = await refuseFields(
        destinationTargets(input.settings),
        outbound(input.accountId),
      );
      if (refused) throw invalid(refused.field, refused.message);
      const test = await runDestinationTest(input.settings, outbound(input.accountId), onNode(ctx));
      if (!test.ok && !input.saveAnyway)
        throw invalid(
          "settings",
          `the destination test failed${test.step ? ` (${test.step})` : ""}: ${test.message} (saveAnyway keeps the destination anyway)`,
        );
      const { open, secret } = splitSecrets(input.settings);
      const now = Date.now();
      const row: repo.NewDestination = {
        id: newId("bkd"),
        account_id: input.accountId,
        name: input.name,
        kind: input.settings.kind,
        settings: JSON.stringify(open),
        secrets_sealed: secrets.seal(JSON.stringify(secret)),
        secret_names: JSON.stringify(Object.keys(secret)),
        last_test: JSON.stringify(test),
        tested_at: now,
        created_at: now,
        updated_at: now,
      };
      const after = {
        name: input.name,
        accountId: input.accountId,
        settings: open,
        secrets: Object.keys(secret),
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertDestination(trx, row);
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-destination", row.id, "create", { after }, input.accountId),
        );
      });
      const saved = await repo.findDestination(k, row.id);
      if (!saved) throw notFound(`backup destination ${row.id}`);
      return repo.toDestination(saved);
    },

    /** "Test destination" now: write, read back and delete a probe object; the result is kept. */
    async test(ctx: Ctx, id: string): Promise<DestinationTest> {
      const row = await mustFind(ctx, id, policy.canManage);
      const test = await runDestinationTest(settingsOf(row), outbound(row.account_id), onNode(ctx));
      await k.transaction().execute(async (trx) => {
        await repo.recordTest(trx, id, test, Date.now());
        await recordAudit(
          trx,
          ctx,
          changeOf("backup-destination", id, "test", { after: test }, row.account_id),
        );
      });
      return test;
    },

    async remove(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id, policy.canManage);
      await k.transaction().execute(async (trx) => {
        const using = await plansUsingDestination(trx, id, row.account_id);
        if (using.length > 0)
          throw conflict(
            `plans still write to this destination: ${using.join(", ")} (remove it from them first)`,
          );
        await repo.deleteDestination(trx, id);
        await recordAudit(
          trx,
          ctx,
          changeOf(
            "backup-destination",
            id,
            "delete",
            { before: { name: row.name, kind: row.kind } },
            row.account_id,
          ),
        );
      });
    },
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;
