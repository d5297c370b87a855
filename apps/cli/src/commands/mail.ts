// `steward mail domain|mailbox|alias …`: mail domains on nodes' Postfix and Dovecot, their
// mailboxes and aliases (docs/mail.md). Input passes the API's own schemas, so the CLI
// refuses what the API refuses, naming the option; a mailbox's password is read from standard
// input (piped, or typed without echo), never from an argument.
import { v } from "@steward/contracts";
import {
  mailAliasCreate,
  mailboxCreate,
  mailboxPassword,
  mailboxUpdate,
  mailDomainCreate,
  mailDomainListQuery,
  mailDomainUpdate,
} from "@steward/contracts/mail";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  nodeIdOf,
  pageOptions,
  parse,
  UsageError,
  withServices,
} from "../context.ts";
import { print, readSecret } from "../io.ts";
import { mailDkimCommands } from "./mail-dkim.ts";
import { autoresponderCommands, usageCommand } from "./mail-mailbox.ts";
import { spamCommand } from "./mail-spam.ts";
import { virusCommand } from "./mail-virus.ts";
import { listCommand, lookup, paging, removal } from "./shapes.ts";

const DOMAIN_COLUMNS = ["id", "name", "status", "mailboxes", "aliases", "lastError"];
const MAILBOX_COLUMNS = ["id", "address", "quotaMb", "enabled", "mode"];
const ALIAS_COLUMNS = ["id", "source", "destinations"];
const idArg = (value: string, input: string) => parse(v.id, value, { input });

function applied(g: GlobalOptions, r: { taskId: string }, line: string) {
  if (g.json) return print(g, r);
  process.stdout.write(
    `${line}\ntask ${r.taskId} applies it; follow it with:\n  steward task logs ${r.taskId} --follow\n`,
  );
}

function domainCommands(domain: Command, g: () => GlobalOptions) {
  listCommand(domain, [
    ["--account <account>", "id or slug"],
    ["--node <node>", "id or name"],
  ]).action(async (o) => {
    const f = parse(
      mailDomainListQuery,
      { account: o.account, node: o.node },
      { account: "--account", node: "--node" },
    );
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) => {
      const account = await accountIdOf(svc, ctx, f.account);
      const node = await nodeIdOf(svc, ctx, f.node);
      print(g(), await svc.mail.list(ctx, { ...f, account, node, ...page }), DOMAIN_COLUMNS);
    });
  });
  lookup(domain, g, {
    command: ["show", "<domain>", "the domain's id"],
    ref: (value) => idArg(value, "<domain>"),
    fetch: (svc, ctx, ref) => svc.mail.get(ctx, ref),
  });
  domain
    .command("add")
    .description("serves a mail domain on a node (an internationalised name becomes punycode)")
    .argument("<name>")
    .requiredOption("--node <node>", "id or name")
    .option("--account <account>", "id or slug (default: yours)")
    .action(async (name, o) => {
      const names = { name: "<name>", node: "--node", account: "--account" };
      parse(mailDomainCreate, { name, node: "n", account: o.account }, names);
      await withServices(g(), async (svc, ctx) => {
        const node = await nodeIdOf(svc, ctx, o.node);
        const account = await accountIdOf(svc, ctx, o.account);
        const input = parse(mailDomainCreate, { name, node, account }, names);
        const d = await svc.mail.create(ctx, input);
        applied(g(), d, `mail domain ${d.name} (${d.id}) added`);
      });
    });
  domain
    .command("certificate")
    .description(
      "serves a site's certificate (same account and node) for SMTP and IMAP, installed again on every renewal; none: stop naming one",
    )
    .argument("<domain>", "the domain's id")
    .argument("<site>", "the site's id, or none")
    .action(async (ref, siteRef) => {
      const id = idArg(ref, "<domain>");
      const input = parse(
        mailDomainUpdate,
        { certificateSite: siteRef === "none" ? null : siteRef },
        { certificateSite: "<site>" },
      );
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mail.update(ctx, id, input).catch((e: Error & { code?: string }) => {
          // the service's refusal of the site names the argument
          const said = /^body\.certificateSite: (.*)$/s.exec(e.message ?? "");
          if (e.code === "VALIDATION_FAILED" && said) throw new UsageError(`<site>: ${said[1]}`);
          throw e;
        });
        applied(
          g(),
          d,
          `mail domain ${d.name} serves ${d.certificateSite ? `the certificate of site ${d.certificateSite}` : "no site's certificate"}`,
        );
      });
    });
  spamCommand(domain, g, idArg);
  virusCommand(domain, g, idArg);
  removal(domain, g, {
    command: ["remove", "<domain>", "the domain's id"],
    answer: "removed",
    confirmAs: "mail domain",
    remove: (svc, ctx, ref) => svc.mail.remove(ctx, idArg(ref, "<domain>")),
  });
}

function mailboxCommands(mailbox: Command, g: () => GlobalOptions) {
  paging(mailbox.command("list").description("the domain's mailboxes").argument("<domain>")).action(
    async (ref, o) => {
      const id = idArg(ref, "<domain>");
      const page = pageOptions(o);
      await withServices(g(), async (svc, ctx) =>
        print(g(), await svc.mail.mailboxes(ctx, id, page), MAILBOX_COLUMNS),
      );
    },
  );
  mailbox
    .command("add")
    .description("creates a mailbox; its password is read from standard input")
    .argument("<domain>", "the domain's id")
    .argument("<local-part>", "the part before @")
    .option("--quota <MiB>", "0: no quota (default)")
    .option("--disabled", "create it disabled")
    .option("--mode <mode>", "both (default), send-only or receive-only")
    .action(async (ref, localPart, o) => {
      const id = idArg(ref, "<domain>");
      const names = {
        localPart: "<local-part>",
        quotaMb: "--quota",
        password: "password",
        mode: "--mode",
      };
      const quotaMb = o.quota === undefined ? undefined : Number(o.quota);
      const shape = { localPart, quotaMb, enabled: !o.disabled, mode: o.mode };
      parse(mailboxCreate, { ...shape, password: "x".repeat(10) }, names);
      const password = await readSecret(undefined, "Password: ");
      const input = parse(mailboxCreate, { ...shape, password }, names);
      await withServices(g(), async (svc, ctx) => {
        const b = await svc.mail.createMailbox(ctx, id, input);
        applied(g(), b, `mailbox ${b.address} (${b.id}) added`);
      });
    });
  mailbox
    .command("update")
    .description("changes a mailbox's quota or mode, or enables or disables it")
    .argument("<mailbox>", "the mailbox's id")
    .option("--quota <MiB>", "0: no quota")
    .option("--mode <mode>", "both, send-only (gets no mail) or receive-only (cannot submit)")
    .option("--enable", "enable it")
    .option("--disable", "disable it (refused at RCPT and at login)")
    .action(async (ref, o) => {
      const id = idArg(ref, "<mailbox>");
      const enabled = o.enable ? true : o.disable ? false : undefined;
      const quotaMb = o.quota === undefined ? undefined : Number(o.quota);
      const input = parse(
        mailboxUpdate,
        { quotaMb, enabled, mode: o.mode },
        { quotaMb: "--quota", mode: "--mode", input: "--quota, --mode, --enable or --disable" },
      );
      await withServices(g(), async (svc, ctx) => {
        const b = await svc.mail.updateMailbox(ctx, id, input);
        applied(g(), b, `mailbox ${b.address} changed`);
      });
    });
  mailbox
    .command("password")
    .description("sets a mailbox's password, read from standard input")
    .argument("<mailbox>", "the mailbox's id")
    .action(async (ref) => {
      const id = idArg(ref, "<mailbox>");
      const password = await readSecret(undefined, "New password: ");
      const input = parse(mailboxPassword, { password }, { password: "password" });
      await withServices(g(), async (svc, ctx) => {
        const b = await svc.mail.setMailboxPassword(ctx, id, input);
        applied(g(), b, `mailbox ${b.address} has a new password`);
      });
    });
  removal(mailbox, g, {
    command: ["remove", "<mailbox>", "the mailbox's id"],
    answer: "removed",
    confirmAs: "mailbox",
    remove: (svc, ctx, ref) => svc.mail.removeMailbox(ctx, idArg(ref, "<mailbox>")),
  });
  autoresponderCommands(mailbox, g);
}

function aliasCommands(alias: Command, g: () => GlobalOptions) {
  paging(
    alias.command("list").description("the domain's aliases and forwards").argument("<domain>"),
  ).action(async (ref, o) => {
    const id = idArg(ref, "<domain>");
    const page = pageOptions(o);
    await withServices(g(), async (svc, ctx) =>
      print(g(), await svc.mail.aliases(ctx, id, page), ALIAS_COLUMNS),
    );
  });
  alias
    .command("add")
    .description("an alias or forward to addresses here or elsewhere, or the domain's catch-all")
    .argument("<domain>", "the domain's id")
    .argument("[local-part]", "the part before @ (none with --catch-all)")
    .requiredOption("--to <addresses>", "comma-separated addresses")
    .option("--catch-all", "every address of the domain that has no mailbox or alias")
    .action(async (ref, localPart, o) => {
      const id = idArg(ref, "<domain>");
      const input = parse(
        mailAliasCreate,
        {
          localPart,
          catchAll: o.catchAll === true,
          destinations: String(o.to).split(","),
        },
        { localPart: "<local-part>", destinations: "--to", catchAll: "--catch-all" },
      );
      await withServices(g(), async (svc, ctx) => {
        const a = await svc.mail.createAlias(ctx, id, input);
        applied(g(), a, `alias ${a.source} (${a.id}) added`);
      });
    });
  removal(alias, g, {
    command: ["remove", "<alias>", "the alias's id"],
    answer: "removed",
    remove: (svc, ctx, ref) => svc.mail.removeAlias(ctx, idArg(ref, "<alias>")),
  });
}

export function mailCommands(program: Command, g: () => GlobalOptions) {
  const mail = program.command("mail");
  domainCommands(mail.command("domain").description("mail domains on nodes"), g);
  mailboxCommands(mail.command("mailbox").description("a domain's mailboxes"), g);
  aliasCommands(mail.command("alias").description("a domain's aliases and forwards"), g);
  mailDkimCommands(mail, g);
  usageCommand(mail, g);
}
