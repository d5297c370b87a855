// mail.usage (docs/mail.md#usage): what each of Steward's mailboxes on the node holds, as
// Dovecot's quota plugin counts it (`doveadm -f tab quota get -A`: one process for every user,
// STORAGE in KiB, MESSAGE in messages, the limit or `-`), reported for the addresses of
// Steward's passwd-file only. It reads and changes nothing.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MailUsageOutput } from "@steward/contracts/agent";
import { OpFailure, type OpHandler } from "../types.ts";
import { USERS_FILE } from "./render.ts";

type Usage = MailUsageOutput["mailboxes"][number];

/** doveadm's table: a header naming the columns, one row per user and quota resource. */
export function parseQuotaTable(text: string, wanted: Set<string>): Usage[] {
  const [header = "", ...rows] = text.split("\n").filter((l) => l.trim() !== "");
  const cols = header.split("\t").map((c) => c.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  const [user, type, value, limit] = [at("username"), at("type"), at("value"), at("limit")];
  if ([user, type, value, limit].includes(-1))
    throw new OpFailure("MAIL_CONFIG_INVALID", `doveadm quota get: unexpected header ${header}`);
  const found = new Map<string, Usage>();
  for (const row of rows) {
    const f = row.split("\t");
    const address = f[user] ?? "";
    if (!wanted.has(address)) continue;
    const u = found.get(address) ?? { address, bytes: 0, messages: 0, limitBytes: null };
    const n = Number(f[value]);
    const max = f[limit] === "-" || f[limit] === undefined ? null : Number(f[limit]);
    if (f[type] === "STORAGE") {
      u.bytes = n * 1024;
      u.limitBytes = max === null ? null : max * 1024;
    } else if (f[type] === "MESSAGE") u.messages = n;
    found.set(address, u);
  }
  return [...found.values()];
}

export const mailUsage: OpHandler<"mail.usage"> = {
  name: "mail.usage",
  async run(ctx) {
    const m = ctx.config.mail;
    if (!m.enabled)
      throw new OpFailure(
        "MAIL_NOT_CONFIGURED",
        "this node serves no mail (agent.json mail.enabled is false)",
      );
    const users = await readFile(join(m.configDir, USERS_FILE), "utf8").catch(() => "");
    const wanted = new Set(
      users
        .split("\n")
        .map((l) => l.split(":")[0] ?? "")
        .filter(Boolean),
    );
    if (!wanted.size) return { mailboxes: [] };
    const r = await ctx.exec(
      "doveadm quota get",
      [
        m.dovecot.doveadm,
        ...(m.dovecot.config ? ["-c", m.dovecot.config] : []),
        "-f",
        "tab",
        "quota",
        "get",
        "-A",
      ],
      { allowFailure: true, recordStdout: false, maxOutput: 64 * 1024 * 1024 },
    );
    if (r.exitCode !== 0)
      throw new OpFailure(
        "MAIL_CONFIG_INVALID",
        `doveadm quota get: ${r.stderr.trim().slice(-500) || `exit ${r.exitCode}`}`,
      );
    return { mailboxes: parseQuotaTable(r.stdout, wanted) };
  },
};
