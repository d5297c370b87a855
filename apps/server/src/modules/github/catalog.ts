// The template catalog (docs/github.md), super users' to keep: a template is added to one
// account, or changed (its description; another repository), only once GitHub confirms the
// App's installation reaches the repository and that it is marked as a template (its default
// branch read then). An account's readers list and read its templates; another account's are
// not found.
import type { GithubTemplateCreate, GithubTemplateUpdate } from "@steward/contracts";
import { enforce } from "../../access/decision.ts";
import { github } from "../../access/policies/github.ts";
import type { Ctx } from "../../access/types.ts";
import { recordAudit } from "../../audit/log.ts";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import { appJwt } from "../../integrations/github/app-jwt.ts";
import { GithubError } from "../../integrations/github/client.ts";
import { conflict, invalid, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { accountExists } from "../accounts/repo.ts";
import { clientFor, credentialsOf } from "./client.ts";
import * as repo from "./repo.ts";

/** An account's catalog holds at most this many templates. */
export const MAX_TEMPLATES = 100;

/** GitHub's refusal as a 400 naming `field`; anything else (unreachable, refused target) too. */
export const asked = <T>(field: string, work: Promise<T>): Promise<T> =>
  work.catch((err) => {
    if (err instanceof GithubError) throw invalid(field, err.message);
    throw invalid(field, `GitHub could not be asked: ${(err as Error).message}`);
  });

interface Deps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
}

export function createCatalog({ db, secrets, settings }: Deps) {
  const k = db.db;

  async function mustApp() {
    const row = await repo.findApp(k);
    if (!row) throw conflict("no GitHub App is configured: set one first (PUT /api/v1/github/app)");
    return row;
  }

  async function mustTemplate(ctx: Ctx, id: string) {
    const row = await repo.findTemplate(k, id);
    if (!row || !github.canRead(ctx, row.account_id).allowed) throw notFound(`template ${id}`);
    return row;
  }

  /** GitHub's word that the App reaches owner/repo and that it is a template. */
  async function confirmTemplate(owner: string, name: string) {
    const client = clientFor(settings);
    const creds = credentialsOf(await mustApp(), secrets);
    const jwt = appJwt(creds.appId, creds.key);
    const inst = await asked("repo", client.installation(jwt, { repo: [owner, name] }));
    const token = (await asked("repo", client.accessToken(jwt, inst.id))).token;
    const info = await asked("repo", client.repo(token, owner, name));
    if (info.is_template !== true)
      throw invalid(
        "repo",
        `${info.full_name} is not marked as a template repository (its Settings → "Template repository")`,
      );
    return info;
  }

  async function mustBeFree(accountId: string, owner: string, name: string, except?: string) {
    const same = await repo.findTemplateOf(k, accountId, owner, name);
    if (same && same.id !== except)
      throw conflict(`the account already has ${owner}/${name}`, "repo");
  }

  return {
    mustApp,
    mustTemplate,

    async listTemplates(ctx: Ctx, accountId: string) {
      if (!github.canRead(ctx, accountId).allowed) throw notFound(`account ${accountId}`);
      return (await repo.templatesOfAccount(k, accountId, MAX_TEMPLATES)).map(repo.toTemplate);
    },

    getTemplate: async (ctx: Ctx, id: string) => repo.toTemplate(await mustTemplate(ctx, id)),

    async createTemplate(ctx: Ctx, input: GithubTemplateCreate) {
      enforce(ctx, github.canManageCatalog(ctx));
      if (!(await accountExists(k, input.account))) throw notFound(`account ${input.account}`);
      await mustBeFree(input.account, input.owner, input.repo);
      const have = await repo.templatesOfAccount(k, input.account, MAX_TEMPLATES);
      if (have.length >= MAX_TEMPLATES)
        throw conflict(`an account keeps at most ${MAX_TEMPLATES} templates`, "account");
      const info = await confirmTemplate(input.owner, input.repo);
      const row: repo.TemplateRow = {
        id: newId("ghtpl"),
        account_id: input.account,
        owner: info.owner.login,
        repo: info.name,
        description: input.description ?? "",
        default_branch: info.default_branch,
        created_at: Date.now(),
      };
      await k.transaction().execute(async (trx) => {
        await repo.insertTemplate(trx, row);
        await recordAudit(trx, ctx, {
          action: "github.template.create",
          targetType: "github_template",
          targetId: row.id,
          accountId: row.account_id,
          diff: { after: { owner: row.owner, repo: row.repo } },
        });
      });
      return repo.toTemplate(row);
    },

    /** Its description, or another repository (confirmed by GitHub as when added). */
    async updateTemplate(ctx: Ctx, id: string, input: GithubTemplateUpdate) {
      const before = await mustTemplate(ctx, id);
      enforce(ctx, github.canManageCatalog(ctx));
      const owner = input.owner ?? before.owner;
      const name = input.repo ?? before.repo;
      const moved =
        owner.toLowerCase() !== before.owner.toLowerCase() ||
        name.toLowerCase() !== before.repo.toLowerCase();
      const change: Partial<repo.TemplateRow> = {};
      if (input.description !== undefined) change.description = input.description;
      if (moved) {
        await mustBeFree(before.account_id, owner, name, id);
        const info = await confirmTemplate(owner, name);
        await mustBeFree(before.account_id, info.owner.login, info.name, id);
        Object.assign(change, {
          owner: info.owner.login,
          repo: info.name,
          default_branch: info.default_branch,
        });
      }
      const after = { ...before, ...change };
      await k.transaction().execute(async (trx) => {
        await repo.updateTemplate(trx, id, change);
        await recordAudit(trx, ctx, {
          action: "github.template.update",
          targetType: "github_template",
          targetId: id,
          accountId: before.account_id,
          diff: {
            before: { owner: before.owner, repo: before.repo, description: before.description },
            after: { owner: after.owner, repo: after.repo, description: after.description },
          },
        });
      });
      return repo.toTemplate(after);
    },

    async removeTemplate(ctx: Ctx, id: string) {
      const row = await mustTemplate(ctx, id);
      enforce(ctx, github.canManageCatalog(ctx));
      await k.transaction().execute(async (trx) => {
        await repo.deleteTemplate(trx, id);
        await recordAudit(trx, ctx, {
          action: "github.template.remove",
          targetType: "github_template",
          targetId: id,
          accountId: row.account_id,
          diff: { before: { owner: row.owner, repo: row.repo } },
        });
      });
    },
  };
}
