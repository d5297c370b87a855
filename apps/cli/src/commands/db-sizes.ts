// `steward database sizes --account A` (issue 14): an account's databases together, as the API
// answers them (GET /api/v1/accounts/{id}/database-sizes): how many, the sum of their sizes
// now, and the sum per UTC day over the last 30 days (a table of days; --json: the answer).
import { v } from "@steward/contracts";
import type { Command } from "commander";
import { z } from "zod";
import { accountIdOf, type GlobalOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";

export function databaseSizesCommand(database: Command, g: () => GlobalOptions) {
  database
    .command("sizes")
    .description(
      "an account's databases together: how many, their size now and per UTC day (30 days)",
    )
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      const { account } = parse(
        z.strictObject({ account: v.id }),
        { account: o.account },
        { account: "--account" },
      );
      await withServices(g(), async (svc, ctx) => {
        const sizes = await svc.databaseItems.accountSizes(
          ctx,
          await accountIdOf(svc, ctx, account),
        );
        if (g().json) return print(g(), sizes);
        const { days, ...now } = sizes;
        print(g(), now);
        print(g(), days, ["day", "sizeBytes"]);
      });
    });
}
