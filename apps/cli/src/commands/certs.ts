// `steward cert …`: sites' certificates (ACME http-01 or dns-01, or uploaded), and DNS providers. Input passes the API's own schemas
// (certificateListQuery, certificateRequest), so the CLI refuses what the API refuses.
import {
  type Certificate,
  certificateListQuery,
  certificateRequest,
  certificateSorts,
  v,
} from "@steward/contracts";
import type { Command } from "commander";
import { accountIdOf, type GlobalOptions, pageOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";
import { certProviderCommands } from "./cert-providers.ts";
import { certUploadCommand } from "./cert-upload.ts";
import { listCommand, lookup } from "./shapes.ts";

const COLUMNS = ["id", "name", "state", "notAfter", "daysLeft", "lastError"];
const OPTIONS = { site: "--site", account: "--account", state: "--state", sort: "--sort" };
const idArg = (value: string) => parse(v.id, value, { input: "<id>" });

const rowOf = (c: Certificate) => ({ ...c, name: c.names[0] ?? "-" });

function printChange(g: GlobalOptions, c: Certificate & { taskId: string }, what: string) {
  if (g.json) return print(g, c);
  process.stdout.write(
    `certificate ${c.id} (${c.names.join(", ")}) ${what}\n` +
      `task ${c.taskId} orders it; follow it with:\n  steward task logs ${c.taskId} --follow\n`,
  );
}

export function certCommands(program: Command, g: () => GlobalOptions) {
  const cert = program.command("cert");
  listCommand(
    cert,
    [
      ["--site <site>", "the site's id"],
      ["--account <account>", "id or slug"],
      ["--state <state>", "pending, issuing, active or failed"],
    ],
    certificateSorts,
  ).action(async (o) => {
    const f = parse(
      certificateListQuery,
      { site: o.site, account: o.account, state: o.state, sort: o.sort },
      OPTIONS,
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      const list = await svc.certificates.list(ctx, { ...f, account, ...page });
      if (g().json) return print(g(), list);
      print(g(), { items: list.items.map(rowOf), nextCursor: list.nextCursor }, COLUMNS);
    });
  });
  lookup(cert, g, {
    command: ["show", "<id>"],
    ref: idArg,
    fetch: (svc, ctx, ref) => svc.certificates.get(ctx, ref),
  });
  cert
    .command("add")
    .description("asks for a site's certificate (ACME) and enqueues the task ordering it")
    .requiredOption("--site <site>", "the site's id")
    .option("--key-type <type>", "ecdsa-p256 (default) or rsa-2048")
    .option("--hsts", "send Strict-Transport-Security once it serves HTTPS")
    .option("--challenge <type>", "http-01 or dns-01 (default: dns-01 when a provider covers it)")
    .option("--wildcard", "also cover *.<primary domain> (dns-01)")
    .action(async (o) => {
      const input = parse(
        certificateRequest,
        {
          site: o.site,
          keyType: o.keyType,
          hsts: o.hsts,
          challenge: o.challenge,
          wildcard: o.wildcard,
        },
        {
          site: "--site",
          keyType: "--key-type",
          hsts: "--hsts",
          challenge: "--challenge",
          wildcard: "--wildcard",
        },
      );
      await withServices(g(), async (svc, ctx) =>
        printChange(g(), await svc.certificates.request(ctx, input), "asked for"),
      );
    });
  certProviderCommands(cert, g);
  certUploadCommand(cert, g);
  cert
    .command("renew")
    .description("orders a certificate again now")
    .argument("<id>")
    .action(async (id) => {
      const ref = idArg(id);
      await withServices(g(), async (svc, ctx) =>
        printChange(g(), await svc.certificates.renew(ctx, ref), "is being renewed"),
      );
    });
}
