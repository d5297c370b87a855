// backup.destination.list and backup.destination.delete: the storage explorer on the node that
// holds a directory destination (a node's directory is read and written only by its agent).
// The destinations' clients load with the first call, never with the agent.
import type { OpHandler } from "../types.ts";
import { refuseOtherNodes } from "./run-op.ts";

export const backupDestinationList: OpHandler<"backup.destination.list"> = {
  name: "backup.destination.list",
  async run(ctx, input) {
    refuseOtherNodes(input.settings, ctx.config.nodeId);
    const [{ openDestination }, { listObjects }] = await Promise.all([
      import("./open.ts"),
      import("./explorer.ts"),
    ]);
    const destination = openDestination(input.settings);
    try {
      return await ctx.step("list the destination's objects", () =>
        listObjects(destination, input),
      );
    } finally {
      await destination.close();
    }
  },
};

export const backupDestinationDelete: OpHandler<"backup.destination.delete"> = {
  name: "backup.destination.delete",
  async run(ctx, input) {
    refuseOtherNodes(input.settings, ctx.config.nodeId);
    const [{ openDestination }, { deleteObjects }] = await Promise.all([
      import("./open.ts"),
      import("./explorer.ts"),
    ]);
    const destination = openDestination(input.settings);
    try {
      const out = await ctx.step(`delete ${input.names.length} artifact(s) and sidecars`, () =>
        deleteObjects(destination, input.names),
      );
      for (const name of out.deleted) ctx.log("info", `deleted ${name} and its sidecar`);
      return out;
    } finally {
      await destination.close();
    }
  },
};
