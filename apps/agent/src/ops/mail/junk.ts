// mail.junk.expunge (docs/mail.md#spam): the Junk retention. For each domain, every mailbox's
// Junk loses the messages that arrived more than `days` days ago: `doveadm search` counts
// them, `doveadm expunge` removes them (`before`: the date a message arrived, its IMAP
// INTERNALDATE; Maildir's `savedbefore` would read a file's ctime instead). Users are matched
// by `*@domain` through Dovecot's user iteration; a mailbox without a Junk folder is skipped.
import type { MailJunkExpungeInput } from "@steward/contracts/agent";
import { OpFailure, type OpHandler } from "../types.ts";

export const mailJunkExpunge: OpHandler<"mail.junk.expunge"> = {
  name: "mail.junk.expunge",
  services: ["mail"],
  async run(ctx, input: MailJunkExpungeInput) {
    const m = ctx.config.mail;
    if (!m.enabled)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node serves no mail (agent.json mail.enabled is false)",
      );
    const doveadm = (...args: string[]) => [
      m.dovecot.doveadm,
      ...(m.dovecot.config ? ["-c", m.dovecot.config] : []),
      ...args,
    ];
    const query = (domain: string, days: number) => [
      "-u",
      `*@${domain}`,
      "mailbox",
      "Junk",
      "before",
      `${days}d`,
    ];
    // one line per message found; a mailbox without Junk makes doveadm exit non-zero alone
    const count = async (domain: string, days: number) => {
      const found = await ctx.exec(
        `doveadm search ${domain}`,
        doveadm("search", ...query(domain, days)),
        {
          allowFailure: true,
          recordStdout: false,
        },
      );
      return found.stdout.split("\n").filter((l) => l.trim()).length;
    };
    const expunged: { domain: string; messages: number }[] = [];
    await ctx.phase("activate", async () => {
      for (const { domain, days } of input.domains) {
        const messages = await count(domain, days);
        if (messages > 0)
          await ctx.exec(`doveadm expunge ${domain}`, doveadm("expunge", ...query(domain, days)), {
            allowFailure: true,
          });
        expunged.push({ domain, messages });
      }
    });
    await ctx.phase("verify", async () => {
      for (const { domain, days } of input.domains) {
        if (!expunged.find((e) => e.domain === domain)?.messages) continue;
        const left = await count(domain, days);
        if (left > 0)
          throw new OpFailure(
            "VERIFY_FAILED",
            `${left} message(s) older than ${days} days are still in ${domain}'s Junk folders`,
          );
      }
    });
    return { expunged };
  },
};
