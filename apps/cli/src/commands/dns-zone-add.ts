// `steward dns zone add`: a zone on a node (--node), or held at a DNS provider of its account
// (--provider: a Cloudflare token added with `steward cert provider add`), optionally starting
// from the records Cloudflare holds (--import) and deleting those Steward did not write
// (--full-sync). Input passes the API's schema first, naming the option.
import { type DnsZone, dnsZoneCreate } from "@steward/contracts";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  parse,
  UsageError,
  withServices,
} from "../context.ts";

type Change = DnsZone & { taskId: string };

const OPTIONS = {
  name: "--name",
  node: "--node",
  provider: "--provider",
  account: "--account",
  import: "--import",
  fullSync: "--full-sync",
  "template.nameservers": "--ns",
  "template.ipv4": "--ipv4",
  "template.ipv6": "--ipv6",
};

/** The service's refusal at body.provider (and the like) names the option. */
async function optionNamed<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const said = /^body\.([A-Za-z]+)(?:\.\S*)?: (.*)$/s.exec((e as Error).message ?? "");
    const option = said?.[1] ? OPTIONS[said[1] as keyof typeof OPTIONS] : undefined;
    if ((e as { code?: string }).code === "VALIDATION_FAILED" && option)
      throw new UsageError(`${option}: ${said?.[2]}`);
    throw e;
  }
}

export function zoneAddCommand(
  zone: Command,
  g: () => GlobalOptions,
  printChange: (g: GlobalOptions, z: Change, what: string) => void,
) {
  zone
    .command("add")
    .description(
      "adds a zone on a node, or at a DNS provider (Cloudflare), with the default records if --template, and applies it",
    )
    .requiredOption("--name <zone>", "the domain, like example.com")
    .option("--node <node>", "id or name of an enrolled node to serve it")
    .option("--provider <id>", "or the id of the account's DNS provider holding it (Cloudflare)")
    .option("--import", "at a provider: start from the records it holds")
    .option("--full-sync", "at a provider: also delete the records Steward did not write")
    .option("--account <account>", "id or slug")
    .option("--template", "add the default records (needs --ns; --ipv4/--ipv6 for web and mail)")
    .option("--ns <names>", "name servers, comma separated")
    .option("--ipv4 <address>", "the node's IPv4 address for @, www and mail")
    .option("--ipv6 <address>", "the node's IPv6 address for @, www and mail")
    .action(async (o) => {
      const template = o.template
        ? { nameservers: o.ns?.split(",") ?? [], ipv4: o.ipv4, ipv6: o.ipv6 }
        : undefined;
      // checked before anything opens; the node and account are then looked up by name
      const given = parse(
        dnsZoneCreate,
        {
          name: o.name,
          node: o.node,
          provider: o.provider,
          account: o.account,
          import: o.import === true,
          fullSync: o.fullSync === true,
          template,
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, given.node);
        const account = await accountIdOf(svc, ctx, given.account);
        const created = await optionNamed(() => svc.dns.create(ctx, { ...given, node, account }));
        printChange(g(), created, "added");
      });
    });
}
