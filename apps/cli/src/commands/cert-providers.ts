// `steward cert provider …`: an account's DNS providers for dns-01 (Cloudflare tokens). The
// token is read from standard input (piped, or typed without echo), never from an argument
// (arguments show in the process list); input passes the API's own schemas.
import { type DnsProvider, dnsProviderCreate, v } from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, parse, withServices } from "../context.ts";
import { print, readSecret } from "../io.ts";

const COLUMNS = ["id", "name", "kind", "zones"];
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });
const rowOf = (p: DnsProvider) => ({ ...p, zones: p.zones.join(", ") });

export function certProviderCommands(cert: Command, g: () => GlobalOptions) {
  const provider = cert
    .command("provider")
    .description("DNS providers answering dns-01 challenges (wildcards)");
  provider
    .command("list")
    .requiredOption("--account <account>", "id or slug")
    .action(async (o) => {
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, o.account);
        const items = await svc.dnsProviders.list(ctx, account);
        if (g().json) return print(g(), { items });
        print(g(), { items: items.map(rowOf) }, COLUMNS);
      });
    });
  provider
    .command("add")
    .description("checks a Cloudflare API token (read from standard input) and keeps it sealed")
    .requiredOption("--account <account>", "id or slug")
    .requiredOption("--name <name>", "a name for it in the account")
    .option("--zone <zone...>", "the zones to use (default: every zone the token reaches)")
    .action(async (o) => {
      const token = await readSecret(undefined, "Cloudflare API token: ");
      await withServices(g(), async (svc, ctx) => {
        const account = await accountIdOf(svc, ctx, o.account);
        const input = parse(
          dnsProviderCreate,
          { account, kind: "cloudflare", name: o.name, token, zones: o.zone },
          { account: "--account", name: "--name", token: "<stdin>", zones: "--zone" },
        );
        const added = await svc.dnsProviders.create(ctx, input);
        if (g().json) return print(g(), added);
        process.stdout.write(
          `DNS provider ${added.id} (${added.name}) covers ${added.zones.join(", ")}\n`,
        );
      });
    });
  provider
    .command("test")
    .description("checks the provider's token again and refreshes its zones")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        const tested = await svc.dnsProviders.test(ctx, ref);
        if (g().json) return print(g(), tested);
        process.stdout.write(
          `DNS provider ${tested.id}: the token works for ${tested.zones.join(", ")}\n`,
        );
      });
    });
  provider
    .command("remove")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) => {
        await svc.dnsProviders.remove(ctx, ref);
        if (g().json) return print(g(), { removed: ref });
        process.stdout.write(`DNS provider ${ref} removed\n`);
      });
    });
}
