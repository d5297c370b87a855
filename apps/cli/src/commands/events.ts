// `steward event list|show`: the domain events (docs/notifications.md, "Events"), newest first,
// as the API lists them, with the same filters and access rules.
import { eventListQuery } from "@steward/contracts/notifications";
import type { Command } from "commander";
import { z } from "zod";
import { accountIdOf, type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { listCommand, lookup } from "./shapes.ts";

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** --since: a duration back from now ("30m", "24h", "7d") or an ISO-8601 time. */
const since = z.union(
  [
    z
      .string()
      .regex(/^[1-9][0-9]{0,5}[mhd]$/)
      .transform((d) => {
        const unit = d.slice(-1) as keyof typeof UNIT_MS;
        return new Date(Date.now() - Number(d.slice(0, -1)) * UNIT_MS[unit]).toISOString();
      }),
    z.iso.datetime({ offset: true }),
  ],
  { error: "must be a duration like 30m, 24h or 7d, or an ISO-8601 time" },
);

export function eventCommands(program: Command, g: () => GlobalOptions) {
  const event = program.command("event");
  listCommand(event, [
    ["--type <type>", "a type (site.failed) or a prefix ending with a dot (task.)"],
    ["--severity <severity>", "the least shown: info, warning or critical"],
    ["--outcome <outcome>", "success, failure or none"],
    ["--account <account>", "slug or id"],
    ["--target-type <type>", "site, node, task..."],
    ["--target <id>", "the id of what the event is about"],
    ["--since <when>", "30m, 24h, 7d or an ISO-8601 time"],
  ]).action(async (o) => {
    const from = o.since === undefined ? undefined : parse(since, o.since, { input: "--since" });
    const f = parse(
      eventListQuery.omit({ account: true }),
      {
        type: o.type,
        severity: o.severity,
        outcome: o.outcome,
        targetType: o.targetType,
        target: o.target,
        from,
      },
      { targetType: "--target-type" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, o.account);
      print(g(), await svc.events.list(ctx, { ...f, account, ...page }), [
        "occurredAt",
        "severity",
        "type",
        "accountName",
        "summary",
        "id",
      ]);
    });
  });
  lookup(event, g, {
    command: ["show", "<id>"],
    fetch: (svc, ctx, id) => svc.events.get(ctx, id),
  });
}
