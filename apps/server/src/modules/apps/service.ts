// Apps (docs/apps.md): an account's admins create a quick service from an image on a node
// (the name derived from the image, suffixed when the node has it already), deploy it as a
// task, start, stop (the container stays), restart and remove it (optionally with its
// volumes, which the answer names); its readers see it, its containers, logs and stats.
// Secret variables are sealed with the master key and never answered. Apps built from a git
// repository (git-service.ts) and compose stacks (compose-service.ts) are made through the same
// `admit` and `insertNew`.

import type { AppCreate } from "@steward/contracts/apps";
import type { Kysely } from "kysely";
import { enforce } from "../../access/decision.ts";
import { apps as policy } from "../../access/policies/apps.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import { conflict, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { requireAccount } from "../accounts/require.ts";
import { usableNode } from "../nodes/usable.ts";
import { composeSpecOf } from "./compose-app.ts";
import * as gitRepo from "./git-repo.ts";
import { containerRow, freeName, type NewRow, runtimeNameOf, splitEnv } from "./new-app.ts";
import type { NodeCaller } from "./node-call.ts";
import * as repo from "./repo.ts";
import { APP_DEPLOY } from "./tasks.ts";
import { toApp } from "./view.ts";

/** An account keeps at most this many apps. */
export const MAX_PER_ACCOUNT = 500;

interface Deps {
  db: Db;
  secrets: Secrets;
  engine: Engine;
  node: NodeCaller;
  /** the panel's public URL (webhook addresses) */
  publicUrl: string;
}

export function createAppsService({ db, secrets, engine, node, publicUrl }: Deps) {
  const k = db.db;

  async function mustFind(ctx: Ctx, id: string) {
    const row = await repo.findApp(k, id);
    if (!row || !policy.canRead(ctx, row).allowed) throw notFound(`app ${id}`);
    return row;
  }

  const secretKeys = (row: repo.AppRow) =>
    row.secrets_sealed ? Object.keys(JSON.parse(secrets.open(row.secrets_sealed))) : [];
  const webhookUrl = (id: string) => `${publicUrl.replace(/\/$/, "")}/api/v1/apps/${id}/webhook`;
  const view = async (row: repo.AppRow) => {
    const git = await gitRepo.findGitSource(k, row.id);
    return toApp(
      row,
      await repo.deploymentsOf(k, row.id),
      secretKeys(row),
      git ? { row: git, webhookUrl: webhookUrl(row.id) } : null,
    );
  };

  const audit = (d: Kysely<Database>, ctx: Ctx, action: string, row: repo.AppRow, diff: unknown) =>
    recordAudit(d, ctx, {
      action,
      targetType: "app",
      targetId: row.id,
      accountId: row.account_id,
      diff,
    });

  /** A deployment and its task, the app pointing at them; in the caller's transaction. */
  async function enqueueDeploy(
    trx: Kysely<Database>,
    row: repo.AppRow,
    trigger: "manual" | "webhook" = "manual",
  ) {
    const deploymentId = newId("dep");
    const { task } = await engine.enqueue(
      {
        kind: APP_DEPLOY,
        payload: { appId: row.id, deploymentId },
        target: { type: "app", id: row.id },
        accountId: row.account_id,
      },
      trx,
    );
    await repo.insertDeployment(trx, {
      id: deploymentId,
      app_id: row.id,
      account_id: row.account_id,
      task_id: task.id,
      image: row.image,
      status: "queued",
      error: null,
      containers: "[]",
      created_at: Date.now(),
      finished_at: null,
      trigger,
    });
    await repo.updateApp(trx, row.id, { status: "deploying", task_id: task.id, last_error: null });
    return { taskId: task.id, deploymentId };
  }

  /**
   * A new app of any source, once the caller has admitted it (`admit`) and checked its source:
   * the name (suffixed among the account's apps on the node) and the node's runtime name, the secret variables sealed, the row, `also` (the source's
   * own rows) and the deploy task, in one transaction.
   */
  async function insertNew(
    ctx: Ctx,
    input: NewRow,
    also?: (trx: Kysely<Database>, row: repo.AppRow) => Promise<void>,
  ) {
    const { keys, plain, hidden } = splitEnv(input.env);
    const now = Date.now();
    const out = await k.transaction().execute(async (trx) => {
      const id = input.id ?? newId("app");
      const name = await freeName(trx, input.account, input.node, input.name);
      const row: repo.AppRow = {
        id,
        account_id: input.account,
        node_id: input.node,
        name,
        runtime_name: runtimeNameOf(name, id),
        image: input.image,
        source: input.source,
        spec: JSON.stringify(input.spec(plain)),
        secrets_sealed: Object.keys(hidden).length ? secrets.seal(JSON.stringify(hidden)) : null,
        published: "[]",
        status: "deploying",
        last_error: null,
        task_id: null,
        domain: input.domain ?? null,
        site_id: null,
        created_at: now,
        updated_at: now,
      };
      await repo.insertApp(trx, row);
      await also?.(trx, row);
      const { taskId } = await enqueueDeploy(trx, row);
      await audit(trx, ctx, "app.create", row, {
        after: { name: row.name, image: row.image, node: input.node, env: keys, ...input.audit },
      });
      return { ...row, task_id: taskId };
    });
    return view(out);
  }

  /** May the caller create an app in the account on the node, and is there room for one? */
  async function admit(ctx: Ctx, accountId: string, nodeId: string) {
    if (!policy.canListIn(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
    enforce(ctx, policy.canCreateIn(ctx, accountId));
    await requireAccount(k, accountId, "account");
    await usableNode(k, nodeId);
    if ((await repo.countOfAccount(k, accountId)) >= MAX_PER_ACCOUNT)
      throw conflict(`an account keeps at most ${MAX_PER_ACCOUNT} apps`, "account");
  }

  return {
    mustFind,
    admit,
    enqueueDeploy,
    audit,
    view,

    /** A page of the apps the caller sees (of one account when it names one), newest first. */
    async list(ctx: Ctx, f: repo.AppFilter) {
      if (f.account && !policy.canListIn(ctx, f.account).allowed)
        throw notFound(`account ${f.account}`);
      // one account's apps: its (account, filter, id) walk, not one walk per account seen
      const scope = {
        where: policy.listScope(ctx),
        walks: f.account ? null : policy.listWalks(ctx),
      };
      const page = await repo.listApps(k, scope, f);
      const git = new Map(
        (
          await gitRepo.gitSourcesOf(
            k,
            page.items.map((r) => r.id),
          )
        ).map((g) => [g.app_id, g]),
      );
      const items = page.items.map((r) => {
        const source = git.get(r.id);
        return toApp(
          r,
          [],
          secretKeys(r),
          source ? { row: source, webhookUrl: webhookUrl(r.id) } : null,
        );
      });
      return { items, nextCursor: page.nextCursor };
    },

    get: async (ctx: Ctx, id: string) => view(await mustFind(ctx, id)),

    async create(ctx: Ctx, input: AppCreate) {
      await admit(ctx, input.account, input.node);
      return insertNew(ctx, containerRow(input));
    },

    insertNew,
    webhookUrl,

    /** Deploys the app again (its container replaced; its volumes kept). */
    async deploy(ctx: Ctx, id: string) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      await k.transaction().execute(async (trx) => {
        await enqueueDeploy(trx, row);
        await audit(trx, ctx, "app.deploy", row, { image: row.image });
      });
      return view((await repo.findApp(k, id)) ?? row);
    },

    /** start, stop (the container stays) or restart, on the node now. */
    async act(ctx: Ctx, id: string, action: "start" | "stop" | "restart") {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      if (composeSpecOf(row))
        await node.run(row.node_id, "compose.action", {
          appId: row.id,
          project: row.runtime_name,
          action,
        });
      else await node.run(row.node_id, "container.action", { appId: row.id, action });
      await repo.updateApp(k, id, { status: action === "stop" ? "stopped" : "running" });
      await audit(k, ctx, `app.${action}`, row, {});
      return view((await repo.findApp(k, id)) ?? row);
    },

    /** Removes the app's containers (with its volumes when asked) and the app. */
    async remove(ctx: Ctx, id: string, volumes: boolean) {
      const row = await mustFind(ctx, id);
      enforce(ctx, policy.canManage(ctx, row));
      const spec = JSON.parse(row.spec) as { volumes: { source: string }[] };
      const out = composeSpecOf(row)
        ? await node.run(row.node_id, "compose.down", {
            appId: row.id,
            project: row.runtime_name,
            volumes,
          })
        : await node.run(row.node_id, "container.action", {
            appId: row.id,
            action: "remove",
            volumes,
            volumeSources: spec.volumes.map((v) => v.source),
          });
      await k.transaction().execute(async (trx) => {
        await gitRepo.deleteGitSource(trx, id);
        await repo.deleteApp(trx, id);
        await audit(trx, ctx, "app.remove", row, { volumes, removed: out.volumesRemoved });
      });
      return { volumesRemoved: out.volumesRemoved };
    },
  };
}

export type AppsService = ReturnType<typeof createAppsService>;
