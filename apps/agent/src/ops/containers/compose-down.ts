// compose.down and compose.action: docker-compose down of an app's project (its containers
// and network; with volumes, its named and anonymous volumes and the app's directory), and
// start, stop (the containers stay) or restart. Without its file on the node (never deployed,
// or removed by hand), down removes what carries the app's label instead.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import type { OpOutput } from "@steward/contracts/agent";
import type { OpHandler } from "../types.ts";
import { containerAction } from "./action.ts";
import { appDir, compose, composeFile } from "./compose-run.ts";
import { engineOf } from "./engine.ts";
import { infoOf, listContainers } from "./list.ts";

export const composeDown: OpHandler<"compose.down"> = {
  name: "compose.down",
  async run(ctx, input): Promise<OpOutput<"compose.down">> {
    const engine = engineOf(ctx.config);
    const before = await ctx.step("find the app's containers", () =>
      listContainers(engine, input.appId),
    );
    const names = before.map((c) => infoOf(c).name);
    const volumesRemoved: string[] = [];
    if (existsSync(composeFile(ctx.config, input.appId))) {
      const volumes = await ctx.step("find the project's volumes", async () => {
        const filters = encodeURIComponent(
          JSON.stringify({ label: [`com.docker.compose.project=${input.project}`] }),
        );
        const a = await engine.call("GET", `/volumes?filters=${filters}`);
        const listed = (a.body as { Volumes?: { Name: string }[] } | null)?.Volumes ?? [];
        return listed.map((v) => v.Name);
      });
      const args = ["down", "--remove-orphans", "-t", "10"];
      await compose(
        ctx,
        `docker-compose down ${input.project}`,
        input,
        input.volumes ? [...args, "-v"] : args,
      );
      if (input.volumes) volumesRemoved.push(...volumes);
    } else {
      await containerAction.run(ctx, {
        appId: input.appId,
        action: "remove",
        volumes: input.volumes,
        volumeSources: [],
      });
    }
    if (before.length) ctx.changed();
    if (input.volumes) {
      const dir = appDir(ctx.config, input.appId);
      await ctx.step("remove the app's directory", () => rm(dir, { recursive: true, force: true }));
      volumesRemoved.push(dir);
    }
    return { containers: names, volumesRemoved };
  },
};

export const composeAction: OpHandler<"compose.action"> = {
  name: "compose.action",
  async run(ctx, input): Promise<OpOutput<"compose.action">> {
    const args = input.action === "start" ? ["start"] : [input.action, "-t", "10"];
    await compose(ctx, `docker-compose ${input.action} ${input.project}`, input, args);
    ctx.changed();
    const engine = engineOf(ctx.config);
    return { containers: (await listContainers(engine, input.appId)).map(infoOf) };
  },
};
