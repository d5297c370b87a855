// The account's part of sshd's and pure-ftpd's configuration. sshd: the include file, then
// `sshd -t` on the whole configuration (a refusal restores the file: nothing changes), then a
// reload (SIGHUP or systemctl), which a rollback repeats with the restored file. pure-ftpd:
// Steward's passwd file (other accounts' lines kept) and `pure-pw mkdb`, which pure-ftpd reads
// at each login (no reload).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isRunning, reloadService, serviceSpec } from "../../system/service.ts";
import { type OpContext, OpFailure } from "../types.ts";
import { otherFtpLines } from "./render.ts";

const lastLine = (s: string) => s.trim().split("\n").pop()?.slice(0, 300) ?? "";

/**
 * Writes (or removes, with null) the include; tests and reloads sshd when it changed.
 * Answers what was not done (a note) and whether the include changed.
 */
export async function applySshd(
  ctx: OpContext,
  file: string,
  content: string | null,
): Promise<{ note: string | null; changed: boolean }> {
  const h = ctx.config.hosting.sshd;
  if (!existsSync(h.configFile))
    return { note: `sshd is not configured here (no ${h.configFile})`, changed: false };
  const changed =
    content === null
      ? await ctx.removeFile(file)
      : await ctx.writeFile(file, content, { mode: 0o644, uid: 0, gid: 0 });
  if (!changed) return { note: null, changed };
  const t = await ctx.exec("test sshd configuration", serviceSpec(ctx.config, "sshd").test, {
    allowFailure: true,
  });
  if (t.exitCode !== 0)
    throw new OpFailure(
      "CONFIG",
      `sshd -t refused the configuration (${lastLine(t.stderr) || `exit ${t.exitCode}`}): the previous one is kept`,
    );
  const spec = serviceSpec(ctx.config, "sshd");
  if (!(await isRunning(ctx.config, spec)))
    return { note: "sshd is not running: the include applies when it starts", changed };
  ctx.onRollback("reload sshd", () => reloadService(ctx, "sshd"));
  await reloadService(ctx, "sshd");
  return { note: null, changed };
}

/**
 * What sshd applies to a user (`sshd -T -C`): the effective chroot and forced command. Fails
 * when sshd does not read the include at all (no `Include` of its directory).
 */
export async function effectiveSshd(ctx: OpContext, user: string) {
  const h = ctx.config.hosting.sshd;
  const r = await ctx.exec(
    `check sshd's settings for ${user}`,
    [h.bin, "-T", "-f", h.configFile, "-C", `user=${user},host=localhost,addr=127.0.0.1`],
    { recordStdout: false },
  );
  const value = (key: string) =>
    r.stdout
      .split("\n")
      .find((l) => l.startsWith(`${key} `))
      ?.slice(key.length + 1) ?? "";
  return { chroot: value("chrootdirectory"), forceCommand: value("forcecommand") };
}

/** Replaces the account's lines of pure-ftpd's users and rebuilds its puredb. */
export async function applyFtp(ctx: OpContext, main: string, lines: string[]) {
  const f = ctx.config.hosting.ftp;
  if (!existsSync(f.purePw))
    return lines.length
      ? `pure-ftpd is not installed (no ${f.purePw}): FTP users were not set up`
      : null;
  const text = await readFile(f.passwdFile, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw e;
  });
  const all = [...otherFtpLines(text, main), ...lines];
  const next = all.length ? `${all.join("\n")}\n` : "";
  if (next === text) return null;
  await ctx.mkdir(dirname(f.passwdFile), { mode: 0o755, uid: 0, gid: 0 });
  await ctx.writeFile(f.passwdFile, next, { mode: 0o600, uid: 0, gid: 0 });
  const mkdb = () =>
    ctx.exec("rebuild pure-ftpd's users", [f.purePw, "mkdb", f.pdbFile, "-f", f.passwdFile]);
  ctx.onRollback("rebuild pure-ftpd's users", async () => {
    await mkdb();
  });
  await mkdb();
  return null;
}
