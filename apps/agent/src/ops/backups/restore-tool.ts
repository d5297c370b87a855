// A restore whose sink is an import tool (pg_restore, the mariadb client): the `zstd` program
// decompresses straight into the tool's stdin (zstd's stdout is the write end of that pipe), so
// the agent moves only the stored bytes (checked, decrypted), never the plain dump, which is
// two to five times larger: the restore side of tool-compressed.ts.
import { type ChildProcess, spawn } from "node:child_process";
import type { Duplex, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { EXEC_PATH } from "../../system/exec.ts";
import { TamperedError } from "./chunks.ts";
import { findTool, intoStdin } from "./compress.ts";
import { exitOf, type Settling, toolEnv } from "./tool-process.ts";

/** What an import tool sink says of its tool, so that zstd can write into it directly. */
export interface ToolSink {
  /** the tool's argv and environment (made now: a login), and what to do once it is done */
  prepare(): Promise<{
    file: string;
    args: string[];
    env: Record<string, string>;
    settling: Settling;
    finish: () => Promise<void>;
  }>;
}

const alive = (proc: ChildProcess) => proc.exitCode === null && proc.signalCode === null;

/**
 * Feeds the stored bytes through `stages` (digest check, decryption) into zstd, whose output
 * is the tool's stdin. False when the `zstd` program is not there (the caller restores through
 * node:zlib). A failure of the stages (a damaged artifact) kills the tool before zstd, so the
 * tool never sees the end of a stream it would take as whole.
 */
export async function restoreIntoTool(
  artifact: Readable,
  stages: Duplex[],
  sink: ToolSink,
  path = EXEC_PATH,
): Promise<boolean> {
  const zstdPath = findTool("zstd", path);
  if (!zstdPath) return false;
  const t = await sink.prepare();
  try {
    const tool = spawn(t.file, t.args, { env: t.env, stdio: ["pipe", "ignore", "pipe"] });
    const zstd = spawn(zstdPath, ["--decompress", "--quiet", "--no-progress", "--stdout"], {
      env: toolEnv({}, path),
      stdio: ["pipe", tool.stdin, "pipe"],
    });
    tool.stdin?.destroy();
    let said = "";
    zstd.stderr?.on("data", (chunk: Buffer) => {
      said = (said + chunk.toString()).slice(-1000);
    });
    const toolDone = exitOf(tool, t.settling);
    const zstdDone = exitOf(zstd, {
      tool: "zstd",
      accepted: [0],
      failure: () =>
        zstd.exitCode
          ? new TamperedError(`the artifact does not decompress: ${said.trim().split("\n")[0]}`)
          : null,
    });
    const fed = pipeline([
      artifact,
      ...stages,
      intoStdin(zstd.stdin as NonNullable<typeof zstd.stdin>),
    ]);
    const [f, z, d] = await Promise.allSettled([
      fed.catch(async (error) => {
        if (alive(tool)) {
          tool.kill("SIGTERM");
          await toolDone.catch(() => undefined);
        }
        if (alive(zstd)) zstd.kill("SIGTERM");
        throw error;
      }),
      zstdDone,
      toolDone,
    ]);
    // what names the cause first: the stored bytes, then bytes that do not decompress, then
    // the tool (a tool that exits early leaves zstd writing into a closed pipe)
    if (f.status === "rejected") throw f.reason;
    if (
      z.status === "rejected" &&
      z.reason instanceof TamperedError &&
      !/write error|broken pipe/i.test(z.reason.message)
    )
      throw z.reason;
    if (d.status === "rejected") throw d.reason;
    if (z.status === "rejected") throw z.reason;
    return true;
  } finally {
    await t.finish();
  }
}
