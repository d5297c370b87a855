// `steward mail dkim show|rotate <domain>` and `steward mail dns-check <domain>`: a mail
// domain's DKIM key, its records (set in the zone Steward manages, or to copy) and the live
// check of them (docs/mail.md#dkim-spf-and-dmarc). The selector passes the API's own schema,
// so a hostile one is refused naming --selector before anything is asked.
import { v } from "@steward/contracts";
import {
  type MailDkimAnswer,
  type MailDnsCheckAnswer,
  mailDkimRotate,
  mailDnsPolicy,
} from "@steward/contracts/mail";
import type { Command } from "commander";
import { type GlobalOptions, parse, withServices } from "../context.ts";
import { print } from "../io.ts";

const idArg = (value: string) => parse(v.id, value, { input: "<domain>" });
const shown = (r: { type: string; value: string }) =>
  r.type === "MX" && !r.value ? "(any MX: the node has no host name to point one at)" : r.value;

export function dkimText(d: MailDkimAnswer) {
  const key = d.selector
    ? `DKIM selector ${d.selector} (${d.status})${d.retired.length ? `; still published: ${d.retired.join(", ")}` : ""}`
    : "no DKIM key yet (steward mail dkim rotate <domain> makes one on the node)";
  const where = d.zoneId
    ? `records, set in zone ${d.zoneId} that Steward manages:`
    : "records to copy into the domain's DNS (no zone of its account here):";
  const rows = d.records.map((r) => `  ${r.type.padEnd(4)} ${r.fqdn}  ${shown(r)}`);
  const error = d.lastError ? [`last error: ${d.lastError}`] : [];
  return `${[key, ...error, where, ...rows].join("\n")}\n`;
}

export function dnsCheckText(c: MailDnsCheckAnswer) {
  const rows = c.records.map((r) => {
    const head = `${r.state.padEnd(8)} ${r.kind.toUpperCase().padEnd(6)} ${r.fqdn}`;
    if (r.state !== "wrong") return head;
    const found = r.found.map((f) => JSON.stringify(f)).join(", ");
    return `${head}\n           expected ${JSON.stringify(shown(r))}, found ${found}`;
  });
  return `asked ${c.resolver}\n${rows.join("\n")}\n`;
}

export function mailDkimCommands(mail: Command, g: () => GlobalOptions) {
  const dkim = mail.command("dkim").description("a mail domain's DKIM key and its DNS records");
  dkim
    .command("show")
    .description("the DKIM selector and public key, and the records the domain needs")
    .argument("<domain>", "the domain's id")
    .action(async (ref) => {
      const id = idArg(ref);
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mailDkim.get(ctx, id);
        if (g().json) return print(g(), d);
        process.stdout.write(dkimText(d));
      });
    });
  dkim
    .command("rotate")
    .description(
      "makes a new key on the node under a new selector, which signs from then on (the previous one stays published until the next rotation); the first rotation turns DKIM on",
    )
    .argument("<domain>", "the domain's id")
    .option("--selector <name>", "one DNS label (default steward<yyyymm>)")
    .action(async (ref, o) => {
      const id = idArg(ref);
      const input = parse(mailDkimRotate, { selector: o.selector }, { selector: "--selector" });
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mailDkim.rotate(ctx, id, input);
        if (g().json) return print(g(), d);
        process.stdout.write(
          `new DKIM key ${d.selector}: task ${d.taskId} makes it on the node; follow it with:\n  steward task logs ${d.taskId} --follow\n`,
        );
      });
    });
  dkim
    .command("policy")
    .description("how the domain's SPF and DMARC records read")
    .argument("<domain>", "the domain's id")
    .option("--spf <all>", "~all (soft fail) or -all (fail) for mail from elsewhere")
    .option("--dmarc <policy>", "none, quarantine or reject")
    .option(
      "--dmarc-report <local-part>",
      "a mailbox or alias of the domain for reports; none: no reports",
    )
    .action(async (ref, o) => {
      const id = idArg(ref);
      const input = parse(
        mailDnsPolicy,
        {
          spfAll: o.spf,
          dmarcPolicy: o.dmarc,
          dmarcReport: o.dmarcReport === "none" ? null : o.dmarcReport,
        },
        {
          spfAll: "--spf",
          dmarcPolicy: "--dmarc",
          dmarcReport: "--dmarc-report",
          input: "--spf, --dmarc or --dmarc-report",
        },
      );
      await withServices(g(), async (svc, ctx) => {
        const d = await svc.mailDkim.setPolicy(ctx, id, input);
        if (g().json) return print(g(), d);
        process.stdout.write(dkimText(d));
      });
    });
  mail
    .command("dns-check")
    .description(
      "asks live DNS for the domain's MX, SPF, DKIM and DMARC records: ok, missing or wrong (exits 1 unless all are ok)",
    )
    .argument("<domain>", "the domain's id")
    .action(async (ref) => {
      const id = idArg(ref);
      await withServices(g(), async (svc, ctx) => {
        const c = await svc.mailDkim.dnsCheck(ctx, id);
        if (g().json) print(g(), c);
        else process.stdout.write(dnsCheckText(c));
        if (c.records.some((r) => r.state !== "ok")) process.exitCode = 1;
      });
    });
}
