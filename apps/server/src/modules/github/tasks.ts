// `github.generate`: makes the repository a row of github_repositories asks for from its
// template. The App's installation on the new repository's owner is resolved (organization,
// then user) and its token used (app.ts caches both); `POST .../generate` is sent once (a
// retry after it resumes from the checkpoint), then the new repository's default branch is
// polled with a growing pause until GitHub has filled it, within a deadline. The row ends
// "ready" with its clone URL, or "failed" with GitHub's words (never a token or the key).
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Settings } from "../../config/schema.ts";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Db } from "../../db/open.ts";
import type { Registry } from "../../engine/registry.ts";
import { type HandlerDef, PermanentError } from "../../engine/types.ts";
import { GithubError } from "../../integrations/github/client.ts";
import { type AppCache, createAppCache } from "./app.ts";
import { clientFor, credentialsOf } from "./client.ts";
import * as repo from "./repo.ts";

export const GITHUB_GENERATE = "github.generate";

const payload = z.strictObject({ repositoryId: z.string() });

/** How long GitHub may take to fill a generated repository, and the pauses between looks. */
export const READY = { deadlineMs: 120_000, firstPauseMs: 250, maxPauseMs: 4_000 };

export interface GithubTaskDeps {
  db: Db;
  secrets: Secrets;
  settings: Settings;
  cache?: AppCache;
}

/** GitHub refused for good (a 4xx other than a rate limit): retrying cannot help. */
const final = (err: unknown) =>
  err instanceof GithubError && err.status >= 400 && err.status < 500 && err.status !== 429;

export function githubGenerateTask(deps: GithubTaskDeps): HandlerDef<typeof payload> {
  const k = deps.db.db;
  const cache = deps.cache ?? createAppCache();
  return {
    kind: GITHUB_GENERATE,
    description: "generates a GitHub repository from a template and waits until it is ready",
    payload,
    timeoutMs: READY.deadlineMs + 60_000,
    maxAttempts: 3,
    backoff: { baseMs: 5_000, maxMs: 60_000 },
    concurrency: { key: (p) => `github:${p.repositoryId}`, limit: 1 },
    async run(ctx) {
      const row = await repo.findRepository(k, ctx.task.payload.repositoryId);
      if (row?.status !== "generating") return null;
      const fail = async (message: string) => {
        await repo.updateRepository(k, row.id, { status: "failed", error: message });
        return new PermanentError(message);
      };
      try {
        return await generate(ctx, row);
      } catch (err) {
        const last = ctx.task.attempt >= ctx.task.maxAttempts;
        if (err instanceof PermanentError || final(err) || last)
          throw await fail((err as Error).message);
        throw err;
      }
    },
  };

  async function generate(
    ctx: Parameters<HandlerDef<typeof payload>["run"]>[0],
    row: repo.RepositoryRow,
  ) {
    const template = row.template_id ? await repo.findTemplate(k, row.template_id) : undefined;
    if (!template) throw new PermanentError("the template was removed from the catalog");
    const app = await repo.findApp(k);
    if (!app) throw new PermanentError("no GitHub App is configured");
    const client = clientFor(deps.settings);
    const session = cache.session(client, credentialsOf(app, deps.secrets));
    await ctx.progress(0.1, `finding the App's installation on ${row.owner}`);
    const installation = await session.installationFor(row.owner);
    const token = await session.tokenFor(installation);
    type Made = { cloneUrl: string; htmlUrl: string; branch: string };
    let made = ctx.checkpoint.load<Made>();
    if (!made) {
      await ctx.progress(
        0.3,
        `generating ${row.owner}/${row.name} from ${template.owner}/${template.repo}`,
      );
      const info = await client.generate(token, [template.owner, template.repo], {
        owner: row.owner,
        name: row.name,
        ...(row.description ? { description: row.description } : {}),
        include_all_branches: Number(row.include_all_branches) === 1,
        private: Number(row.private) === 1,
      });
      made = { cloneUrl: info.clone_url, htmlUrl: info.html_url, branch: info.default_branch };
      await ctx.checkpoint.save(made);
      ctx.log.info(
        `GitHub created ${info.full_name}; waiting until its ${made.branch} branch exists`,
      );
    }
    const deadline = Date.now() + READY.deadlineMs;
    let pause = READY.firstPauseMs;
    for (let look = 1; ; look++) {
      const ready = await client.branch(token, row.owner, row.name, made.branch).then(
        () => true,
        (err) => {
          // 404 (no branch yet) and 409 (empty repository) mean "not filled yet"
          if (err instanceof GithubError && (err.status === 404 || err.status === 409))
            return false;
          throw err;
        },
      );
      if (ready) break;
      if (Date.now() + pause > deadline)
        throw new PermanentError(
          `GitHub created ${row.owner}/${row.name} but its ${made.branch} branch did not appear within ${READY.deadlineMs / 1000} s`,
        );
      await ctx.progress(
        Math.min(0.9, 0.5 + look * 0.05),
        `waiting for GitHub to fill the repository (look ${look})`,
      );
      await sleep(pause, undefined, { signal: ctx.signal });
      pause = Math.min(READY.maxPauseMs, pause * 2);
    }
    await repo.updateRepository(k, row.id, {
      status: "ready",
      clone_url: made.cloneUrl,
      html_url: made.htmlUrl,
      error: null,
    });
    await ctx.progress(1, `${row.owner}/${row.name} is ready`);
    return { cloneUrl: made.cloneUrl };
  }
}

export function registerGithubTasks(registry: Registry, deps: GithubTaskDeps) {
  registry.register(githubGenerateTask(deps));
}
