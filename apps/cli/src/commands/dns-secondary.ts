// `steward dns zone secondary add|list|remove`: other nodes serving a zone by transfer (AXFR)
// from the zone's node, notified of each change (NOTIFY). Both nodes need a DNS address
// (`steward node dns-address`); the service's refusals (body.node: …) name --node.
import type { DnsSecondary } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, nodeIdOf, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";
import { confirm } from "./shapes.ts";

const COLUMNS = ["nodeId", "nodeName", "address", "state", "lastError"];

function printChange(g: GlobalOptions, s: DnsSecondary & { taskId: string }, what: string) {
  if (g.json) return print(g, s);
  process.stdout.write(
    `node ${s.nodeName ?? s.nodeId} ${what}\n` +
      `task ${s.taskId} does it; follow it with:\n  steward task logs ${s.taskId} --follow\n`,
  );
}

/** The refusal of the node (body.node: …) names --node. */
async function atNode<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const message = (e as Error).message ?? "";
    if (message.startsWith("body.node: "))
      throw new UsageError(`--node: ${message.slice("body.node: ".length)}`);
    throw e;
  }
}

export function secondaryCommand(
  zone: Command,
  g: () => GlobalOptions,
  zoneId: (ref: string) => string,
) {
  const secondary = zone
    .command("secondary")
    .description("other nodes serving the zone by transfer (AXFR, NOTIFY) from its node");
  secondary
    .command("list")
    .description("the zone's secondaries, their nodes' DNS addresses and state")
    .argument("<zone>", "the zone's id")
    .action(async (ref) => {
      const id = zoneId(ref);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.dns.secondaries(ctx, id), COLUMNS),
      );
    });
  secondary
    .command("add")
    .description("makes another node a secondary of the zone")
    .argument("<zone>", "the zone's id")
    .requiredOption("--node <node>", "the node's id or name")
    .action(async (ref, o: { node: string }) => {
      const id = zoneId(ref);
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, o.node);
        const s = await atNode(() => svc.dns.addSecondary(ctx, id, { node }));
        printChange(g(), s, "becomes a secondary");
      });
    });
  secondary
    .command("remove")
    .description("stops a node being a secondary of the zone (it stops serving it)")
    .argument("<zone>", "the zone's id")
    .argument("<node>", "the node's id or name")
    .option("--yes", "confirm")
    .action(async (ref, nodeRef: string, o: { yes?: boolean }) => {
      const id = zoneId(ref);
      confirm(o, `the secondary ${nodeRef} of zone ${ref}`);
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, nodeRef, "<node>");
        printChange(g(), await svc.dns.removeSecondary(ctx, id, node), "stops being a secondary");
      });
    });
}
