// GitHub templates (issue 16). Super users set the installation's GitHub App (its id and
// private key, checked as an RSA key and sealed; `test` asks GitHub who the App is) and keep
// the catalog: a template is added for one account after GitHub confirms the App is installed
// with access to it and that it is marked as a template (its default branch read then).
// An account's readers list its templates and generated repositories; its admins generate
// one: a github_repositories row and its github.generate task (tasks.ts), in one transaction.
import type { GithubAppUpdate, GithubGenerate } from "@steward/contracts";
import { enforce } from "../../access/decision.ts";
import { github } from "../../access/policies/github.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Engine } from "../../engine/engine.ts";
import { appJwt, readAppKey } from "../../integrations/github/app-jwt.ts";
import { invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { asked, createCatalog } from "./catalog.ts";
import { clientFor, credentialsOf } from "./client.ts";
import * as repo from "./repo.ts";
import { GITHUB_GENERATE } from "./tasks.ts";

/** A list shows this many generated repositories. */
export const LIST_REPOSITORIES = 100;

interface Deps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  engine: () => Engine;
}

export function createGithubService({ db, secrets, settings, engine }: Deps) {
  const k = db.db;

  const catalog = createCatalog({ db, secrets, settings });
  const { mustApp, mustTemplate } = catalog;

  const appSettings = (row: repo.AppRow | undefined) => ({
    configured: row !== undefined,
    appId: row ? Number(row.app_id) : null,
    keyFingerprint: row?.key_fingerprint ?? null,
    defaultOwner: row?.default_owner ?? null,
    updatedAt: row ? new Date(Number(row.updated_at)).toISOString() : null,
  });

  return {
    listTemplates: catalog.listTemplates,
    getTemplate: catalog.getTemplate,
    createTemplate: catalog.createTemplate,
    updateTemplate: catalog.updateTemplate,
    removeTemplate: catalog.removeTemplate,

    async getApp(ctx: Ctx) {
      enforce(ctx, github.canManageApp(ctx));
      return appSettings(await repo.findApp(k));
    },

    async setApp(ctx: Ctx, input: GithubAppUpdate) {
      enforce(ctx, github.canManageApp(ctx));
      const key = readAppKey(input.privateKey);
      if (typeof key === "string") throw invalid("privateKey", key);
      const before = await repo.findApp(k);
      const row: repo.AppRow = {
        id: repo.APP_ROW,
        app_id: input.appId,
        private_key_enc: secrets.seal(input.privateKey),
        key_fingerprint: key.fingerprint,
        default_owner:
          input.defaultOwner === undefined ? (before?.default_owner ?? null) : input.defaultOwner,
        updated_at: Date.now(),
      };
      await k.transaction().execute(async (trx) => {
        await repo.saveApp(trx, row);
        await recordAudit(trx, ctx, {
          action: "github.app.update",
          targetType: "github_app",
          targetId: repo.APP_ROW,
          diff: {
            after: { appId: row.app_id, key: row.key_fingerprint, defaultOwner: row.default_owner },
          },
        });
      });
      return appSettings(row);
    },

    /** Asks GitHub who the App is, signed with the stored key (GET /app). */
    async testApp(ctx: Ctx) {
      enforce(ctx, github.canManageApp(ctx));
      const creds = credentialsOf(await mustApp(), secrets);
      const app = await asked(
        "privateKey",
        clientFor(settings).app(appJwt(creds.appId, creds.key)),
      );
      return { slug: app.slug, name: app.name, owner: app.owner.login };
    },

    /**
     * The App's installations as GitHub lists them (its first 100): each owner with the
     * installation id Steward resolves for it.
     */
    async listInstallations(ctx: Ctx) {
      enforce(ctx, github.canManageApp(ctx));
      const row = await mustApp();
      const creds = credentialsOf(row, secrets);
      const found = await asked(
        "privateKey",
        clientFor(settings).installations(appJwt(creds.appId, creds.key)),
      );
      const fallback = row.default_owner?.toLowerCase();
      return found.map((i) => ({
        id: i.id,
        owner: i.account.login,
        ownerType: i.account.type,
        repositorySelection: i.repository_selection ?? "all",
        defaultOwner: i.account.login.toLowerCase() === fallback,
      }));
    },

    async removeApp(ctx: Ctx) {
      enforce(ctx, github.canManageApp(ctx));
      await k.transaction().execute(async (trx) => {
        await repo.deleteApp(trx);
        await recordAudit(trx, ctx, {
          action: "github.app.remove",
          targetType: "github_app",
          targetId: repo.APP_ROW,
        });
      });
    },

    /** A repository from the template: its row and the task that makes it at GitHub. */
    async generate(ctx: Ctx, templateId: string, input: GithubGenerate) {
      const template = await mustTemplate(ctx, templateId);
      enforce(ctx, github.canGenerate(ctx, template.account_id));
      const app = await mustApp();
      const owner = input.owner ?? app.default_owner ?? template.owner;
      const now = Date.now();
      const row: repo.RepositoryRow = {
        id: newId("ghrepo"),
        account_id: template.account_id,
        template_id: template.id,
        owner,
        name: input.name,
        private: input.private ? 1 : 0,
        include_all_branches: input.includeAllBranches ? 1 : 0,
        description: input.description ?? "",
        status: "generating",
        clone_url: null,
        html_url: null,
        error: null,
        task_id: null,
        created_at: now,
        updated_at: now,
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertRepository(trx, row);
        const { task } = await engine().enqueue(
          {
            kind: GITHUB_GENERATE,
            payload: { repositoryId: row.id },
            target: { type: "github_repository", id: row.id },
            accountId: row.account_id,
            createdBy: ctx.actor?.userId ?? null,
          },
          trx,
        );
        row.task_id = task.id;
        await repo.updateRepository(trx, row.id, { task_id: task.id });
        await recordAudit(trx, ctx, {
          action: "github.generate",
          targetType: "github_repository",
          targetId: row.id,
          accountId: row.account_id,
          diff: {
            after: {
              template: `${template.owner}/${template.repo}`,
              repository: `${owner}/${input.name}`,
              private: input.private,
              includeAllBranches: input.includeAllBranches,
            },
          },
        });
      });
      return repo.toRepository(row);
    },

    async listRepositories(ctx: Ctx, accountId: string) {
      if (!github.canRead(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      return (await repo.repositoriesOfAccount(k, accountId, LIST_REPOSITORIES)).map(
        repo.toRepository,
      );
    },

    async getRepository(ctx: Ctx, id: string) {
      const row = await repo.findRepository(k, id);
      if (!row || !github.canRead(ctx, row.account_id).allowed) throw notFound(`repository ${id}`);
      return repo.toRepository(row);
    },
  };
}

export type GithubService = ReturnType<typeof createGithubService>;
