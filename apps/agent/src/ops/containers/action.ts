// container.action: start, stop (the container stays, with its configuration), restart or
// remove an app's containers, found by their label. Remove with volumes also removes the
// containers' anonymous volumes and the app's own directory (its volumes' sources).
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { OpOutput } from "@steward/contracts/agent";
import { idPattern } from "@steward/contracts/validators";
import { OpFailure, type OpHandler } from "../types.ts";
import { engineOf, expectStatus, q } from "./engine.ts";
import { listContainers } from "./list.ts";

export const containerAction: OpHandler<"container.action"> = {
  name: "container.action",
  async run(ctx, input): Promise<OpOutput<"container.action">> {
    if (!idPattern.test(input.appId)) throw new OpFailure("OP_INPUT_INVALID", "appId is not valid");
    const engine = engineOf(ctx.config);
    const listed = await ctx.step("find the app's containers", () =>
      listContainers(engine, input.appId),
    );
    const containers = listed.map((c) => ({
      id: c.Id,
      name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
    }));
    for (const c of containers) {
      const path = `/containers/${encodeURIComponent(c.id)}`;
      const a = await ctx.step(`${input.action} ${c.name}`, () => {
        switch (input.action) {
          case "start":
            return engine.call("POST", `${path}/start`);
          case "stop":
            return engine.call("POST", `${path}/stop?${q({ t: 10 })}`, undefined, 60_000);
          case "restart":
            return engine.call("POST", `${path}/restart?${q({ t: 10 })}`, undefined, 60_000);
          case "remove":
            return engine.call("DELETE", `${path}?${q({ force: 1, v: input.volumes ? 1 : 0 })}`);
        }
      });
      // 304: already started/stopped; 404: gone meanwhile
      expectStatus(a, `${input.action} ${c.name}`, [200, 204, 304, 404]);
      ctx.changed();
    }
    const volumesRemoved: string[] = [];
    if (input.action === "remove" && input.volumes) {
      const appDir = join(ctx.config.containers.appsRoot, input.appId);
      await ctx.step("remove the app's directory", () =>
        rm(appDir, { recursive: true, force: true }),
      );
      volumesRemoved.push(...input.volumeSources.map((s) => join(appDir, s)));
    }
    return { containers, volumesRemoved };
  },
};
