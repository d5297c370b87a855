// mail.apply's virus part (docs/mail.md#viruses). rspamd's antivirus module has the node's
// clamd scan each attachment of what arrives (local.d/antivirus.conf, Steward's file, written
// when agent.json names clamd) and forces the reject action when it finds a virus: refused at
// SMTP with the virus's name. Whether a domain is scanned is its settings rule's (spam.ts):
// the rule of a scanned domain keeps the reject action and adds a marker, every other rule
// disables the antivirus symbols. Verify: the EICAR test file asked of rspamd for each
// scanned domain's recipient is rejected with the antivirus symbol (clamd answers: when it does
// not, the check fails at once), and for an unscanned one it is not.
import { dirname, join } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { type OpContext, OpFailure } from "../types.ts";

type MailConfig = AgentConfig["mail"];
type Rspamd = NonNullable<MailConfig["rspamd"]>;

export const VIRUS_SYMBOL = "CLAM_VIRUS";
/** what rspamd adds when clamd could not be asked (the antivirus module's `<symbol>_FAIL`) */
export const VIRUS_FAIL_SYMBOL = "CLAM_VIRUS_FAIL";
/** the marker of a scanned domain's rule */
export const VIRUS_MARKER = "STEWARD_VIRUS_REJECT";
export const ANTIVIRUS_FILE = "antivirus.conf";
/**
 * a scanned domain's rule's priority: above every other rule's (`high` is 3), so a message to
 * recipients of several domains is scanned when one of them is (rspamd applies one rule: the
 * highest priority's, of equal ones the first by name)
 */
export const VIRUS_PRIORITY = 4;
/** the reject score of a scanned domain whose spam filter does not reject: never reached by a
 * score, so only the antivirus module's forced action rejects (a `null` action cannot be forced) */
export const FORCED_REJECT_ONLY = 1_000_000;

const VERIFY_DEADLINE_MS = 60_000;
const POLL_MS = 500;
/** the EICAR anti-virus test file: harmless, and every scanner's database names it */
const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/** rspamd's antivirus rule: clamd at `clamd` (a socket path or host:port, the config's pattern). */
export function renderAntivirus(clamd: string): string {
  return `# Steward (mail.apply) owns this file: viruses found by ClamAV are refused
clamav {
  type = "clamav";
  servers = "${clamd}";
  symbol = "${VIRUS_SYMBOL}";
  action = "reject";
  message = '\${SCANNER}: virus found: "\${VIRUS}"';
  scan_mime_parts = true;
  max_size = 50000000;
  log_clean = false;
}
`;
}

/** Writes rspamd's antivirus rule when the node has clamd; true when the file changed. */
export async function stageVirus(ctx: OpContext, m: MailConfig, virus: MailApplyInput["virus"]) {
  const clamd = m.rspamd?.clamd;
  if (!m.rspamd || !clamd) {
    if (virus.length)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node has no virus scanner (agent.json mail.rspamd.clamd is not set)",
      );
    return false;
  }
  const file = join(dirname(m.rspamd.settingsFile), ANTIVIRUS_FILE);
  return ctx.writeFile(file, renderAntivirus(clamd), { mode: 0o644 });
}

/** What rspamd answers for a message to postmaster@domain carrying the EICAR file. */
async function scan(r: Rspamd, domain: string) {
  const to = `postmaster@${domain}`;
  const res = await fetch(`http://${r.scan.host}:${r.scan.port}/checkv2`, {
    method: "POST",
    headers: { Rcpt: to, From: "steward-check@invalid", Ip: "192.0.2.1" },
    body: [
      "From: steward-check@invalid",
      `To: ${to}`,
      "Subject: Steward's virus scanning check",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="steward"',
      "",
      "--steward",
      "Content-Type: text/plain",
      "",
      "A check of the rules.",
      "--steward",
      "Content-Type: application/octet-stream",
      'Content-Disposition: attachment; filename="eicar.com"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(EICAR).toString("base64"),
      "--steward--",
      "",
    ].join("\r\n"),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as { action?: string; symbols?: Record<string, unknown> };
  return { action: body.action ?? "", symbols: Object.keys(body.symbols ?? {}) };
}

/** Each (sampled) scanned domain rejects the EICAR file as a virus; unscanned ones do not scan it. */
export async function verifyVirus(ctx: OpContext, r: Rspamd, domains: string[], virus: string[]) {
  if (!r.clamd) return;
  const scanned = new Set(virus);
  const sample = [
    ...virus.slice(0, 5).map((d) => ({ domain: d, scanned: true })),
    ...domains
      .filter((d) => !scanned.has(d))
      .slice(0, 2)
      .map((d) => ({ domain: d, scanned: false })),
  ];
  if (!sample.length) return;
  const deadline = Date.now() + VERIFY_DEADLINE_MS;
  await ctx.step("virus scanning check", async () => {
    for (const s of sample) {
      for (;;) {
        const got = await scan(r, s.domain).catch((err: Error) => ({
          action: `(${err.message})`,
          symbols: [] as string[],
        }));
        const found = got.symbols.includes(VIRUS_SYMBOL);
        const ok = s.scanned
          ? found && got.action === "reject" && got.symbols.includes(VIRUS_MARKER)
          : got.symbols.length > 0 &&
            !found &&
            !got.symbols.includes(VIRUS_MARKER) &&
            !got.symbols.includes(VIRUS_FAIL_SYMBOL);
        if (ok) break;
        // the new rules apply (the marker) and clamd failed: waiting would not change that
        const clamdFailed =
          got.symbols.includes(VIRUS_MARKER) && got.symbols.includes(VIRUS_FAIL_SYMBOL);
        if (clamdFailed || Date.now() > deadline || ctx.signal.aborted) {
          const why = got.symbols.includes(VIRUS_FAIL_SYMBOL)
            ? `clamd at ${r.clamd} did not answer rspamd`
            : `rspamd answered ${got.action || "nothing"} with ${got.symbols.filter((x) => x.startsWith("CLAM") || x.startsWith("STEWARD")).join(", ") || "no antivirus symbol"}`;
          throw new OpFailure(
            "VERIFY_FAILED",
            s.scanned
              ? `the EICAR test file to ${s.domain} is not refused as a virus (${why})`
              : `mail to ${s.domain} is scanned for viruses though it should not be (${why})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  });
}
