// `steward mail mailbox autoresponder set|remove` and `steward mail usage` (docs/mail.md,
// docs/cli.md): a mailbox's vacation reply (its body from --body or a file, --body-file) and
// what mailboxes hold, the account's together or one mailbox's with its hourly history. Input
// passes the API's own schemas, so the CLI refuses what the API refuses, naming the option.
import { v } from "@steward/contracts";
import { autoresponder } from "@steward/contracts/mail";
import type { Command } from "commander";
import {
  accountIdOf,
  type GlobalOptions,
  parse,
  readOption,
  UsageError,
  withServices,
} from "../context.ts";
import { print } from "../io.ts";

const idArg = (value: string, input: string) => parse(v.id, value, { input });

const size = (bytes: number) =>
  bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;

function taskLine(g: GlobalOptions, r: { taskId: string }, line: string) {
  if (g.json) return print(g, r);
  process.stdout.write(
    `${line}\ntask ${r.taskId} applies it; follow it with:\n  steward task logs ${r.taskId} --follow\n`,
  );
}

/** `steward mail mailbox autoresponder …` */
export function autoresponderCommands(mailbox: Command, g: () => GlobalOptions) {
  const auto = mailbox
    .command("autoresponder")
    .description("a mailbox's vacation reply (once per sender in --days)");
  auto
    .command("set")
    .description("sets the mailbox's autoresponder (the node compiles its Sieve script)")
    .argument("<mailbox>", "the mailbox's id")
    .requiredOption("--subject <text>", "the reply's subject (one line)")
    .option("--body <text>", "the reply's text")
    .option("--body-file <path>", "a file holding the reply's text")
    .option("--start <day>", "first day it answers, YYYY-MM-DD (UTC)")
    .option("--end <day>", "last day it answers, YYYY-MM-DD (UTC)")
    .option("--days <n>", "one reply per sender in this many days (default 7)")
    .action(async (ref, o) => {
      const id = idArg(ref, "<mailbox>");
      if ((o.body === undefined) === (o.bodyFile === undefined))
        throw new UsageError("--body or --body-file: give one of them");
      const body = o.body ?? readOption("--body-file", o.bodyFile);
      const input = parse(
        autoresponder,
        {
          subject: o.subject,
          body,
          start: o.start ?? null,
          end: o.end ?? null,
          days: o.days === undefined ? undefined : Number(o.days),
        },
        {
          subject: "--subject",
          body: o.body === undefined ? "--body-file" : "--body",
          start: "--start",
          end: "--end",
          days: "--days",
        },
      );
      await withServices(g(), async (svc, ctx) => {
        const b = await svc.mail.setAutoresponder(ctx, id, input);
        taskLine(g(), b, `mailbox ${b.address} answers with "${input.subject}"`);
      });
    });
  auto
    .command("remove")
    .description("removes the mailbox's autoresponder")
    .argument("<mailbox>", "the mailbox's id")
    .action(async (ref) => {
      const id = idArg(ref, "<mailbox>");
      await withServices(g(), async (svc, ctx) => {
        const b = await svc.mail.removeAutoresponder(ctx, id);
        taskLine(g(), b, `mailbox ${b.address} has no autoresponder`);
      });
    });
}

/** `steward mail usage [mailbox]` */
export function usageCommand(mail: Command, g: () => GlobalOptions) {
  mail
    .command("usage")
    .description(
      "what mailboxes hold at the last sampling: an account's together with its days, or one mailbox's with its hourly history",
    )
    .argument("[mailbox]", "a mailbox's id")
    .option("--account <account>", "id or slug: the account's mailboxes together")
    .action(async (ref: string | undefined, o) => {
      const id = ref === undefined ? undefined : idArg(ref, "[mailbox]");
      if (Boolean(id) === Boolean(o.account))
        throw new UsageError("[mailbox] or --account: give one of them");
      await withServices(g(), async (svc, ctx) => {
        if (id) {
          const u = await svc.mail.mailboxUsage(ctx, id);
          if (g().json) return print(g(), u);
          const now = u.current;
          const quota = now?.limitBytes ? ` of ${size(now.limitBytes)} (${now.percent}%)` : "";
          process.stdout.write(
            now
              ? `${u.address}: ${size(now.bytes)}${quota}, ${now.messages} messages at ${now.at}\n`
              : `${u.address}: not sampled yet\n`,
          );
          for (const p of u.history) process.stdout.write(`  ${p.at}  ${size(p.bytes)}\n`);
          return;
        }
        const account = await accountIdOf(svc, ctx, o.account as string);
        const u = await svc.mail.accountUsage(ctx, account);
        if (g().json) return print(g(), u);
        process.stdout.write(
          u.sampledAt
            ? `${u.mailboxes} mailboxes: ${size(u.bytes)}, ${u.messages} messages at ${u.sampledAt}\n`
            : `${u.mailboxes} mailboxes: not sampled yet\n`,
        );
        for (const d of u.days)
          process.stdout.write(`  ${d.day}  ${size(d.bytes)}, ${d.messages} messages\n`);
      });
    });
}
