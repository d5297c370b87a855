// `steward node containers|disk-usage|prune <node>`: a node's container engine, for super
// users (its apps' commands are `steward app`, apps.ts).
import { nodePrune } from "@steward/contracts/apps";
import type { Ctx, Services } from "@steward/server/admin";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { nodeRef } from "./apps.ts";

/** `steward node containers|disk-usage|prune <node>`: the node's whole engine (super users). */
export function nodeEngineCommands(node: Command, g: () => GlobalOptions) {
  const nodeId = async (svc: Services, ctx: Ctx, ref: string) =>
    (await svc.nodes.get(ctx, parse(nodeRef, ref, { input: "<node>" }))).id;
  node
    .command("containers")
    .description("every container of the node's engine")
    .argument("<node>", "id or name")
    .action(async (ref) => {
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.appObserver.containers(ctx, await nodeId(svc, ctx, ref)), [
          "name",
          "state",
          "health",
          "image",
          "appId",
        ]),
      );
    });
  node
    .command("disk-usage")
    .description("the node's container engine's disk usage")
    .argument("<node>", "id or name")
    .action(async (ref) => {
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.appObserver.diskUsage(ctx, await nodeId(svc, ctx, ref))),
      );
    });
  node
    .command("prune")
    .description("removes what the engine does not use; answers the bytes freed")
    .argument("<node>", "id or name")
    .option("--containers", "stopped containers")
    .option("--images", "images no container uses")
    .option("--volumes", "volumes no container uses")
    .option("--build-cache", "the build cache")
    .action(async (ref, o) => {
      const targets = parse(nodePrune, {
        containers: Boolean(o.containers),
        images: Boolean(o.images),
        volumes: Boolean(o.volumes),
        buildCache: Boolean(o.buildCache),
      });
      if (!Object.values(targets).some(Boolean))
        throw new UsageError(
          "--containers, --images, --volumes or --build-cache: say what to prune",
        );
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.appObserver.prune(ctx, await nodeId(svc, ctx, ref), targets)),
      );
    });
}
