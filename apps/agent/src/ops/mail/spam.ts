// mail.apply's spam part (docs/mail.md#spam). Postfix hands what arrives to rspamd's proxy
// worker as a milter (main.cf names it once, at install); Steward owns rspamd's settings file
// (local.d/settings.conf): one rule per filtered domain, matched by recipient, and a rule of
// the lowest priority that turns every action off for the rest (other domains, mail sent by
// mailboxes). Tag: `X-Spam: Yes` over the add-header score, and Steward's sieve_before rule
// files it into Junk; reject: refused at SMTP over the reject score. rspamadm configtest
// before a SIGHUP reload; then a message asked of rspamd for each domain's recipient carries
// that domain's rule's marker symbol (a reload replaces the workers, which takes a moment).
import { join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { livePid } from "../../system/service.ts";
import { type OpContext, OpFailure } from "../types.ts";
import {
  FORCED_REJECT_ONLY,
  VIRUS_FAIL_SYMBOL,
  VIRUS_MARKER,
  VIRUS_PRIORITY,
  VIRUS_SYMBOL,
} from "./virus.ts";

type MailConfig = AgentConfig["mail"];
type Rspamd = NonNullable<MailConfig["rspamd"]>;
type Filters = MailApplyInput["spam"];

export const SIEVE_FILE = "spam.sieve";
const VERIFY_DEADLINE_MS = 60_000;
const POLL_MS = 500;

/** Steward's sieve_before rule: what rspamd tagged goes to Junk (created when missing). */
export const SPAM_SIEVE = `# Steward (mail.apply): messages rspamd tagged go to Junk
require ["fileinto", "mailbox"];
if header :is "X-Spam" "Yes" {
  fileinto :create "Junk";
  stop;
}
`;

/** The symbol each rule adds to what it matched: the proof of which rule rspamd applies. */
export const MARKERS = {
  tag: "STEWARD_SPAM_TAG",
  reject: "STEWARD_SPAM_REJECT",
  off: "STEWARD_SPAM_OFF",
};

const NO_GREYLIST = 'greylist = null; "soft reject" = null';

/**
 * rspamd's settings: a rule per filtered or virus-scanned domain (its name is the domain's,
 * which passed the domain pattern: [a-z0-9.-] only), and for everything else a rule of the
 * lowest priority matching any address (an ip mask of 0 matches nothing in rspamd 3.4: two
 * halves instead). A message to recipients of several domains gets the first matching domain's
 * rule (of equal priorities, the first by name). A scanned domain's rule comes before the
 * others and keeps a reject action for the antivirus module to force (virus.ts); every other
 * rule disables the antivirus symbols.
 */
export function renderRspamdSettings(filters: Filters, virus: string[]): string {
  const scanned = new Set(virus);
  const rule = (domain: string | null, marker: string, actions: string[]) => {
    const av = domain !== null && scanned.has(domain);
    const name = domain === null ? "steward-unfiltered" : `steward-${domain}`;
    const match =
      domain === null
        ? 'ip = ["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"];'
        : `rcpt = "@${domain}";`;
    const symbols = av ? `"${marker}", "${VIRUS_MARKER}"` : `"${marker}"`;
    const disabled = av
      ? ""
      : `    symbols_disabled = ["${VIRUS_SYMBOL}", "${VIRUS_FAIL_SYMBOL}"];\n`;
    const acts = actions
      .map((a) => (av && a === "reject = null" ? `reject = ${FORCED_REJECT_ONLY}` : a))
      .join("; ");
    const priority = domain === null ? "low" : av ? VIRUS_PRIORITY : "high";
    return `"${name}" {\n  priority = ${priority};\n  ${match}\n  apply {\n    symbols = [${symbols}];\n${disabled}    actions { ${acts}; }\n  }\n}\n`;
  };
  const off = ["reject = null", '"add header" = null', '"rewrite subject" = null', NO_GREYLIST];
  const filtered = new Set(filters.map((f) => f.domain));
  const rules = [
    ...filters.map((f) =>
      f.filter === "reject"
        ? rule(f.domain, MARKERS.reject, [NO_GREYLIST])
        : rule(f.domain, MARKERS.tag, ["reject = null", NO_GREYLIST]),
    ),
    ...virus.filter((d) => !filtered.has(d)).map((d) => rule(d, MARKERS.off, off)),
  ];
  return `# Steward (mail.apply) owns this file: spam filtering per mail domain\n${rules.join("")}${rule(null, MARKERS.off, off)}`;
}

/** Writes rspamd's settings and the Junk rule; true when rspamd's file changed. */
export async function stageSpam(ctx: OpContext, m: MailConfig, filters: Filters, virus: string[]) {
  if (!m.rspamd) {
    if (filters.length)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node has no spam filter (agent.json mail.rspamd is not set)",
      );
    return false;
  }
  const sieve = join(m.configDir, SIEVE_FILE);
  if (await ctx.writeFile(sieve, SPAM_SIEVE, { mode: 0o644 })) {
    const args = [m.rspamd.sievec, ...(m.dovecot.config ? ["-c", m.dovecot.config] : []), sieve];
    await ctx.exec("sievec", args);
  }
  return ctx.writeFile(m.rspamd.settingsFile, renderRspamdSettings(filters, virus), {
    mode: 0o644,
  });
}

const rspamadm = (r: Rspamd, ...args: string[]) => [
  r.rspamadm,
  ...r.vars.map((v) => `--var=${v}`), // (rspamadm takes only this form)
  ...args,
];

export async function testSpam(ctx: OpContext, r: Rspamd) {
  const test = await ctx.exec("rspamadm configtest", rspamadm(r, "configtest", "-c", r.config), {
    allowFailure: true,
  });
  if (test.exitCode !== 0)
    throw new OpFailure(
      "MAIL_CONFIG_INVALID",
      `rspamadm configtest: ${`${test.stdout}${test.stderr}`.trim().slice(-500)}`,
    );
}

export async function reloadSpam(ctx: OpContext, r: Rspamd) {
  await ctx.step("rspamd reload", async () => {
    const pid = await livePid(r.pidFile);
    if (pid === null)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        `rspamd does not run (no live pid in ${r.pidFile})`,
      );
    process.kill(pid, "SIGHUP");
  });
}

/** The symbols rspamd gives a short message to postmaster@domain (HTTP /checkv2 of its normal worker). */
async function symbolsFor(r: Rspamd, domain: string): Promise<string[]> {
  const res = await fetch(`http://${r.scan.host}:${r.scan.port}/checkv2`, {
    method: "POST",
    headers: { Rcpt: `postmaster@${domain}`, From: "steward-check@invalid", Ip: "192.0.2.1" },
    body: `From: steward-check@invalid\r\nTo: postmaster@${domain}\r\nSubject: Steward's spam filter check\r\n\r\nA check of the rules.\r\n`,
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { symbols?: Record<string, unknown> };
  return Object.keys(body.symbols ?? {});
}

/** rspamd applies each (sampled) domain's rule: its marker symbol is in the result. */
export async function verifySpam(ctx: OpContext, r: Rspamd, domains: string[], filters: Filters) {
  const mode = new Map(filters.map((f) => [f.domain, f.filter]));
  const sample = [
    ...filters.slice(0, 5).map((f) => f.domain),
    ...domains.filter((d) => !mode.has(d)).slice(0, 2),
  ];
  const deadline = Date.now() + VERIFY_DEADLINE_MS;
  await ctx.step("rspamd check", async () => {
    for (const domain of sample) {
      const wanted = MARKERS[mode.get(domain) ?? "off"];
      for (;;) {
        const got = await symbolsFor(r, domain).catch((err: Error) => [`(${err.message})`]);
        if (got.includes(wanted)) break;
        if (Date.now() > deadline || ctx.signal.aborted)
          throw new OpFailure(
            "VERIFY_FAILED",
            `rspamd does not apply Steward's rule to ${domain} (no ${wanted} among ${got.join(", ") || "no symbols"})`,
          );
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  });
}
