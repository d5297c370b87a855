// Autoresponders (docs/mail.md#autoresponders): one Sieve script per mailbox that has one,
// written by Steward into <configDir>/sieve/<address>.sieve (root, readable by the mail
// group only) and compiled with `sievec` next to it before Dovecot may run it; dovecot.conf
// names the directory once, at install (`sieve_before = <configDir>/sieve/%Lu.sieve`, the
// LMTP `sieve` plugin). The reply is the vacation extension's: once per sender in `days`,
// never to lists or bounces, between the start and end days (UTC) when given. Text goes in
// Sieve quoted strings with `\` and `"` escaped, so no subject or body ends the string early
// (a line holding a single `.` is nothing special in a quoted string).
import { readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import type { MailApplyInput } from "@steward/contracts/agent";
import type { Autoresponder } from "@steward/contracts/mail";
import { type OpContext, OpFailure } from "../types.ts";

export const SIEVE_DIR = "sieve";

const quoted = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export function renderSieve(a: Autoresponder): string {
  const day = (cmp: "ge" | "le", d: string) =>
    `currentdate :zone "+0000" :value ${quoted(cmp)} "date" ${quoted(d)}`;
  const when = [a.start && day("ge", a.start), a.end && day("le", a.end)].filter(Boolean);
  const vacation = `vacation :days ${a.days} :subject ${quoted(a.subject)} ${quoted(a.body)};`;
  const lines = [
    "# Steward's autoresponder: written by the agent, changes are overwritten",
    `require ["vacation"${when.length ? ', "date", "relational"' : ""}];`,
    ...(when.length ? [`if allof(${when.join(", ")}) {`, `  ${vacation}`, "}"] : [vacation]),
  ];
  return `${lines.join("\n")}\n`;
}

/** A mailbox's script: under the sieve directory, or a refusal. */
function scriptPath(dir: string, address: string) {
  const path = resolve(dir, `${address}.sieve`);
  if (!path.startsWith(resolve(dir) + sep))
    throw new OpFailure("UNSAFE_PATH", `${address}: its script would leave ${dir}`);
  return path;
}

/**
 * Writes, compiles and removes the scripts so the directory holds exactly the autoresponders
 * of enabled mailboxes that receive mail; answers whether anything changed.
 */
export async function stageSieve(ctx: OpContext, input: MailApplyInput): Promise<boolean> {
  const m = ctx.config.mail;
  const dir = join(m.configDir, SIEVE_DIR);
  const wanted = input.mailboxes.filter(
    (b) => b.enabled && b.mode !== "send-only" && b.autoresponder,
  );
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (!wanted.length && !existing.length) return false;
  await ctx.mkdir(dir, { mode: 0o750, uid: 0, gid: m.gid });
  let changed = false;
  const keep = new Set<string>();
  for (const box of wanted) {
    const script = scriptPath(dir, box.address);
    const binary = script.replace(/\.sieve$/, ".svbin");
    keep.add(script).add(binary);
    const text = renderSieve(box.autoresponder as Autoresponder);
    const own = { mode: 0o640, uid: 0, gid: m.gid };
    const current = await readFile(script, "utf8").catch(() => null);
    const compiled = await readFile(binary).catch(() => null);
    if (current === text && compiled) continue;
    // compiled from a copy first: a script sievec refuses is never put in place
    const draft = join(dir, `.${box.address}.new.sieve`);
    const out = join(dir, `.${box.address}.new.svbin`);
    await writeFile(draft, text, { mode: 0o600 });
    const r = await ctx.exec(
      `sievec ${box.address}`,
      [m.dovecot.sievec, ...(m.dovecot.config ? ["-c", m.dovecot.config] : []), draft, out],
      { allowFailure: true },
    );
    const bytes = r.exitCode === 0 ? await readFile(out).catch(() => null) : null;
    await Promise.all([rm(draft, { force: true }), rm(out, { force: true })]);
    if (!bytes)
      throw new OpFailure(
        "MAIL_CONFIG_INVALID",
        `sievec ${box.address}: ${`${r.stderr}${r.stdout}`.trim().slice(-500) || "no output"}`,
      );
    changed = true;
    await ctx.writeFile(script, text, own);
    await ctx.writeFile(binary, bytes, own);
    // Pigeonhole runs the binary only when it is not older than its script
    const now = new Date();
    await utimes(binary, now, now);
  }
  for (const name of existing) {
    const path = join(dir, name);
    if (!keep.has(path) && (await ctx.removeFile(path))) changed = true;
  }
  return changed;
}
