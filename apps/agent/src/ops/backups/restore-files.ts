// A files artifact's dry run: the tar's names (`tar --list`, C-quoted so any byte in a name
// survives the line) compared with what exists under the target: which paths a restore would
// create and which it would overwrite (an existing directory is merged into, not counted).
import { spawn } from "node:child_process";
import { lstat } from "node:fs/promises";
import { join, normalize } from "node:path";
import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import { RESTORE_LIST_LIMIT } from "@steward/contracts/backups";
import { intoTool, toolEnv } from "./tool-process.ts";

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11, b: 8, a: 7 };

/** A name as `tar --quoting-style=c` prints it ("a\nb", octal bytes) back to its bytes. */
export function unquoteC(quoted: string): string {
  const body = quoted.startsWith('"') && quoted.endsWith('"') ? quoted.slice(1, -1) : quoted;
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      bytes.push(...Buffer.from(c, "utf8"));
      continue;
    }
    const next = body[i + 1] ?? "";
    const octal = /^[0-7]{3}$/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export interface FilesPlan {
  existed: boolean;
  created: string[];
  replaced: string[];
  counts: { created: number; replaced: number };
}

/** A sink that lists the tar and sorts its names into created and overwritten under `target`. */
export function filesPlanSink(target: string, plan: FilesPlan, tar = "/usr/bin/tar") {
  return async (source: AsyncIterable<Buffer>): Promise<void> => {
    plan.existed = await lstat(target).then(
      (s) => s.isDirectory(),
      () => false,
    );
    const child = spawn(tar, ["--list", "--file=-", "--quoting-style=c"], {
      env: toolEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const lines = createInterface({ input: child.stdout ?? new PassThrough() });
    const sorted = (async () => {
      for await (const line of lines) {
        const name = normalize(unquoteC(line)).replace(/\/$/, "");
        if (name === "." || name === "") continue;
        const existing = await lstat(join(target, name)).catch(() => null);
        if (existing?.isDirectory()) continue;
        const kind = existing ? "replaced" : "created";
        plan.counts[kind]++;
        if (plan[kind].length < RESTORE_LIST_LIMIT) plan[kind].push(name);
      }
    })();
    await Promise.all([intoTool(child, source, { tool: "tar", accepted: [0] }), sorted]);
  };
}
