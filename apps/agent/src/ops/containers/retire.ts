// container.retire: the switch of a zero-downtime redeploy. Once the new deployment's
// container is healthy (and the proxy points at it), every other container of the app is
// removed, its volumes kept; the kept deployment's containers are never touched.
import type { OpOutput } from "@steward/contracts/agent";
import { idPattern } from "@steward/contracts/validators";
import { OpFailure, type OpHandler } from "../types.ts";
import { engineOf, expectStatus, q } from "./engine.ts";
import { DEPLOYMENT_LABEL, listContainers } from "./list.ts";

export const containerRetire: OpHandler<"container.retire"> = {
  name: "container.retire",
  async run(ctx, input): Promise<OpOutput<"container.retire">> {
    if (!idPattern.test(input.appId) || !idPattern.test(input.keep))
      throw new OpFailure("OP_INPUT_INVALID", "appId or keep is not valid");
    const engine = engineOf(ctx.config);
    const listed = await ctx.step("find the app's containers", () =>
      listContainers(engine, input.appId),
    );
    const kept = listed.filter((c) => c.Labels?.[DEPLOYMENT_LABEL] === input.keep);
    if (kept.length === 0)
      throw new OpFailure(
        "NOT_RUNNING",
        "the deployment to keep has no container: nothing removed",
      );
    const removed: { id: string; name: string }[] = [];
    for (const c of listed) {
      if (c.Labels?.[DEPLOYMENT_LABEL] === input.keep) continue;
      const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
      const a = await ctx.step(`remove ${name}`, () =>
        engine.call("DELETE", `/containers/${encodeURIComponent(c.Id)}?${q({ force: 1, v: 0 })}`),
      );
      expectStatus(a, `remove ${name}`, [200, 204, 404]);
      ctx.changed();
      removed.push({ id: c.Id, name });
    }
    return { removed };
  },
};
