// compose.up: the app's compose file checked again here (the contracts' checkCompose with what
// the node allows), its bind-mount directories made inside the app's directory (and checked
// to stay there once symlinks are resolved), the file written labelled with the app's id,
// then `docker-compose up -d` and a wait until every container runs (healthy, for services
// with a health check). A refused file changes nothing on the node; a first deploy that
// fails is taken down again, a redeploy that fails brings the previous file's stack back.
import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, join, relative } from "node:path";
import type { OpOutput } from "@steward/contracts/agent";
import { checkCompose, composeIssuesText, renderCompose } from "@steward/contracts/apps";
import { OpFailure, type OpHandler } from "../types.ts";
import { appDir, compose, composeFile, requireCompose } from "./compose-run.ts";
import { engineOf } from "./engine.ts";
import { infoOf, listContainers } from "./list.ts";
import { waitReady } from "./wait.ts";

type Doc = { services: Record<string, Record<string, unknown>> };

/** The relative host paths of a service's bind mounts ("./data:/x", {type: bind, source}). */
function bindSources(service: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const v of Array.isArray(service.volumes) ? service.volumes : []) {
    if (typeof v === "string") {
      const [source, target] = v.split(":");
      if (target !== undefined && source && /^\./.test(source)) out.push(source);
    } else if (v && typeof v === "object" && (v as { type?: unknown }).type === "bind") {
      const source = (v as { source?: unknown }).source;
      if (typeof source === "string" && !isAbsolute(source)) out.push(source);
    }
  }
  return out;
}

export const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return !rel.startsWith("..") && !isAbsolute(rel);
};

/** Whether what exists of `path` (its nearest existing ancestor) resolves outside `dir`. */
async function leadsOut(dir: string, path: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  let p = path;
  while (!existsSync(p) && inside(dir, dirname(p)) && dirname(p) !== p) p = dirname(p);
  return !inside(await realpath(dir), await realpath(p));
}

const hasHealthCheck = (s: Record<string, unknown>) => {
  const h = s.healthcheck as { test?: unknown; disable?: unknown } | undefined;
  return Boolean(h && h.disable !== true && Array.isArray(h.test) && h.test[0] !== "NONE");
};

export const composeUp: OpHandler<"compose.up"> = {
  name: "compose.up",
  async run(ctx, input): Promise<OpOutput<"compose.up">> {
    await ctx.step("find docker-compose", () => requireCompose(ctx.config));
    const checked = checkCompose(input.file, { env: {}, allow: input.allow });
    if (!checked.ok)
      throw new OpFailure(
        "OP_INPUT_INVALID",
        `the compose file is refused: ${composeIssuesText(checked.issues)}`,
      );
    const { document, volumes } = checked.stack;
    const doc = document as Doc;
    const dir = appDir(ctx.config, input.appId);
    const file = composeFile(ctx.config, input.appId);
    const redeploy = existsSync(file);
    const first = await ctx.phase("stage", async () => {
      const made = await ctx.mkdir(dir, { mode: 0o700 });
      const hostPaths = input.allow.includes("host-paths");
      for (const s of Object.values(doc.services))
        for (const source of bindSources(s)) {
          const path = join(dir, source);
          if (!inside(dir, path)) continue; // outside: what the node allowed ("host-paths")
          // a symlink (a container may make one in a directory it mounts) must not lead out:
          // checked before anything is made or changed through it
          if (!hostPaths && (await leadsOut(dir, path)))
            throw new OpFailure("OP_INPUT_INVALID", `${source} leads outside the app's directory`);
          await ctx.mkdir(path, { mode: 0o755 });
        }
      await ctx.writeFile(file, renderCompose(document, input.appId), { mode: 0o600 });
      return made;
    });
    const engine = engineOf(ctx.config);
    await ctx.phase("activate", async () => {
      // a first deploy that fails is taken down; a redeploy's previous file is restored by
      // the framework first, then brought up again (the previous stack back)
      if (first)
        ctx.onRollback(`docker-compose down ${input.project}`, async () => {
          await compose(ctx, `docker-compose down ${input.project}`, input, [
            "down",
            "--remove-orphans",
            "-v",
            "-t",
            "5",
          ]);
        });
      else if (redeploy)
        ctx.onRollback(`bring the previous stack of ${input.project} back`, async () => {
          await compose(ctx, `docker-compose up ${input.project} (previous file)`, input, [
            "up",
            "-d",
            "--remove-orphans",
          ]);
        });
      ctx.changed();
      await compose(ctx, `docker-compose up ${input.project}`, input, [
        "up",
        "-d",
        "--remove-orphans",
      ]);
    });
    return ctx.phase("verify", async () => {
      const deadline = Date.now() + input.waitSeconds * 1000;
      const listed = await listContainers(engine, input.appId);
      for (const c of listed) {
        const service = c.Labels?.["com.docker.compose.service"] ?? "";
        const spec = doc.services[service];
        await ctx.step(`wait for ${service || c.Id}`, () =>
          waitReady(
            ctx,
            engine,
            c.Id,
            Math.max(1000, deadline - Date.now()),
            spec ? hasHealthCheck(spec) : false,
          ),
        );
      }
      const containers = (await listContainers(engine, input.appId)).map(infoOf);
      return {
        containers: containers.sort((a, b) => a.name.localeCompare(b.name)),
        volumes: volumes.map((v) => `${input.project}_${v}`),
      };
    });
  },
};
