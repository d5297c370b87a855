// User quotas of the filesystem holding the accounts' homes, for sysusers.usage: `quotaon -p`
// says whether they are on, `repquota -n -O csv` gives every uid's figures (1 KiB blocks).
// Without quota tools or with quotas off, usage is reported from the walk only.
// sysusers.apply sets each user's block limit with setquota (soft = hard, no inode limit).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { UserQuota } from "@steward/contracts/hosting";
import type { OpContext } from "../types.ts";

/** The mount point holding `path` (the longest mount point that is a prefix of it). */
export async function mountOf(path: string): Promise<string> {
  const text = await readFile("/proc/self/mountinfo", "utf8").catch(() => "");
  let best = "/";
  for (const line of text.split("\n")) {
    // field 5 is the mount point, with spaces and the like written as octal escapes
    const point = line
      .split(" ")[4]
      ?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    if (!point) continue;
    const inside = point === "/" || path === point || path.startsWith(`${point}/`);
    if (inside && point.length > best.length) best = point;
  }
  return best;
}

/** repquota's CSV (User,BlockStatus,FileStatus,BlockUsed,…) as figures by uid (`#<uid>`). */
export function parseRepquota(csv: string): Map<number, UserQuota> {
  const [head, ...rows] = csv.split("\n").filter((l) => l.trim() !== "");
  const cols = (head ?? "").split(",");
  const at = (row: string[], name: string) => Number(row[cols.indexOf(name)] ?? Number.NaN);
  const out = new Map<number, UserQuota>();
  for (const line of rows) {
    const row = line.split(",");
    const uid = /^#(\d+)$/.exec(row[0] ?? "")?.[1];
    if (uid === undefined) continue;
    const q = {
      bytes: at(row, "BlockUsed") * 1024,
      bytesSoft: at(row, "BlockSoftLimit") * 1024,
      bytesHard: at(row, "BlockHardLimit") * 1024,
      files: at(row, "FileUsed"),
      filesSoft: at(row, "FileSoftLimit"),
      filesHard: at(row, "FileHardLimit"),
    };
    if (Object.values(q).every(Number.isFinite)) out.set(Number(uid), q);
  }
  return out;
}

/** Every uid's quota on the filesystem holding `path`, or null when it has no user quotas on. */
export async function userQuotas(
  ctx: OpContext,
  path: string,
  notes: string[],
): Promise<Map<number, UserQuota> | null> {
  const { quotaon, repquota } = ctx.config.hosting;
  if (!existsSync(quotaon) || !existsSync(repquota)) {
    notes.push(`no quota tools (${quotaon}, ${repquota}): usage is measured by walking only`);
    return null;
  }
  const mount = await mountOf(path);
  const state = await ctx.exec("are user quotas on", [quotaon, "-p", "-u", mount], {
    allowFailure: true,
  });
  if (!/ is on\b/.test(`${state.stdout}\n${state.stderr}`)) {
    notes.push(`${mount} has no user quotas on: nothing is enforced, usage is measured only`);
    return null;
  }
  const report = await ctx.exec(
    "read the user quotas",
    [repquota, "-u", "-v", "-n", "-O", "csv", mount],
    { recordStdout: false },
  );
  return parseRepquota(report.stdout);
}

/**
 * Makes each user's block limit on the filesystem holding `home` what `quotaMb` asks (null or
 * 0: none), running setquota only for those that differ. "unsupported" when that filesystem
 * has no user quotas on: nothing is enforced there, which is not an error.
 */
export async function setUserQuotas(
  ctx: OpContext,
  home: string,
  users: { name: string; uid: number; quotaMb: number | null }[],
  notes: string[],
): Promise<"set" | "unsupported"> {
  const { setquota } = ctx.config.hosting;
  const current = await userQuotas(ctx, home, notes);
  if (!current) return "unsupported";
  if (!existsSync(setquota)) {
    notes.push(`no ${setquota}: quotas are not set`);
    return "unsupported";
  }
  const mount = await mountOf(home);
  for (const u of users) {
    const kib = (u.quotaMb ?? 0) * 1024;
    const now = current.get(u.uid);
    if ((now?.bytesSoft ?? 0) === kib * 1024 && (now?.bytesHard ?? 0) === kib * 1024) continue;
    await ctx.exec(`set the quota of ${u.name}`, [
      setquota,
      "-u",
      String(u.uid),
      String(kib),
      String(kib),
      "0",
      "0",
      mount,
    ]);
    ctx.changed();
  }
  return "set";
}
