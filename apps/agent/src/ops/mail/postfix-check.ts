// `postfix check` before activation (docs/mail.md, mail.apply's test), without paying for it
// on every mailbox: it verifies main.cf, master.cf and the permissions of Postfix's own
// directories, none of which a change of Steward's maps touches, and costs ~0.6 s (measured
// under load: the largest part of a mailbox create). So it runs when a certificate is
// installed, and whenever main.cf or master.cf differ (inode, size, mtime) from what they
// were when it last passed in this agent process; a change of the maps alone is proven by
// the RCPT conversation that follows.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { OpContext } from "../types.ts";
import { OpFailure } from "../types.ts";

/** per Postfix configuration directory: the stamp of its files when the check last passed */
const passed = new Map<string, string>();

async function stampOf(dir: string): Promise<string | null> {
  try {
    const files = await Promise.all(["main.cf", "master.cf"].map((f) => stat(join(dir, f))));
    return files.map((s) => `${s.ino}:${s.size}:${s.mtimeMs}`).join("/");
  } catch {
    return null;
  }
}

export async function postfixCheck(
  ctx: OpContext,
  configDir: string,
  argv: string[],
  always: boolean,
) {
  const stamp = await stampOf(configDir);
  if (!always && stamp !== null && passed.get(configDir) === stamp) {
    ctx.log(
      "info",
      `postfix check: ${configDir}/main.cf and master.cf unchanged since it last passed`,
    );
    return;
  }
  const check = await ctx.exec("postfix check", argv, { allowFailure: true });
  if (check.exitCode !== 0) {
    passed.delete(configDir);
    throw new OpFailure("MAIL_CONFIG_INVALID", `postfix check: ${check.stderr.trim().slice(-500)}`);
  }
  if (stamp !== null) passed.set(configDir, stamp);
}
