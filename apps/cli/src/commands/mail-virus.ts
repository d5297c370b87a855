// `steward mail domain virus <domain> <off|reject>` (docs/mail.md#viruses): the domain's virus
// scanning, checked by the API's own schema, so the CLI refuses what the API refuses, naming
// the argument.
import { mailVirusSettings } from "@steward/contracts/mail";
import type { Command } from "commander";
import { type GlobalOptions, parse, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

export function virusCommand(
  domain: Command,
  g: () => GlobalOptions,
  idArg: (value: string, input: string) => string,
) {
  domain
    .command("virus")
    .description(
      "scans what arrives for viruses with the node's ClamAV (through rspamd): off; reject (a message carrying a virus is refused at SMTP)",
    )
    .argument("<domain>", "the domain's id")
    .argument("<mode>", "off or reject")
    .action(async (ref, mode) => {
      const id = idArg(ref, "<domain>");
      const input = parse(mailVirusSettings, { virusFilter: mode }, { virusFilter: "<mode>" });
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mail.setVirus(ctx, id, input).catch((e: Error & { code?: string }) => {
          // the service's refusal (no clamd on the node) names the argument
          const said = /^body\.virusFilter: (.*)$/s.exec(e.message ?? "");
          if (e.code === "VALIDATION_FAILED" && said) throw new UsageError(`<mode>: ${said[1]}`);
          throw e;
        });
        if (g().json) return print(g(), d);
        process.stdout.write(
          `mail domain ${d.name}: virus scanning ${d.virusFilter}\ntask ${d.taskId} applies it; follow it with:\n  steward task logs ${d.taskId} --follow\n`,
        );
      });
    });
}
