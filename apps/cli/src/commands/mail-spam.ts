// `steward mail domain spam <domain> <off|tag|reject> [--junk-days N]` (docs/mail.md#spam):
// the domain's spam filter and Junk retention, checked by the API's own schema, so the
// CLI refuses what the API refuses, naming the argument or option.
import { mailSpamSettings } from "@steward/contracts/mail";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

export function spamCommand(
  domain: Command,
  g: () => GlobalOptions,
  idArg: (value: string, input: string) => string,
) {
  domain
    .command("spam")
    .description(
      "filters what arrives with the node's rspamd: off; tag (X-Spam header, delivered into Junk); reject (refused at SMTP); Junk keeps messages --junk-days days (default 30)",
    )
    .argument("<domain>", "the domain's id")
    .argument("<mode>", "off, tag or reject")
    .option("--junk-days <days>", "days Junk keeps a message (1-3650)")
    .action(async (ref, mode, o) => {
      const id = idArg(ref, "<domain>");
      const days = o.junkDays === undefined ? undefined : Number(o.junkDays);
      const input = parse(
        mailSpamSettings,
        { spamFilter: mode, junkDays: Number.isNaN(days) ? o.junkDays : days },
        { spamFilter: "<mode>", junkDays: "--junk-days" },
      );
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mail.setSpam(ctx, id, input).catch((e: Error & { code?: string }) => {
          // the service's refusal (no rspamd on the node) names the argument
          const said = /^body\.spamFilter: (.*)$/s.exec(e.message ?? "");
          if (e.code === "VALIDATION_FAILED" && said) throw new UsageError(`<mode>: ${said[1]}`);
          throw e;
        });
        if (g().json) return print(g(), d);
        process.stdout.write(
          `mail domain ${d.name}: spam filter ${d.spamFilter}, Junk kept ${d.junkDays} days\ntask ${d.taskId} applies it; follow it with:\n  steward task logs ${d.taskId} --follow\n`,
        );
      });
    });
}
