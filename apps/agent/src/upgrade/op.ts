// agent.upgrade: the single-file agent replaces itself with a version its panel serves. It
// downloads /install/agent/<version>/steward-agent-linux-<arch> from the panel it enrolled
// with (its pin, if any), checks the SHA-256 the panel sent with the request (over mTLS, with
// a token: the download itself needs no trust) and that the file runs and says that version,
// keeps the running binary as steward-agent.previous, writes upgrade-pending and renames the
// new one over the running one (atomic). After the answer the agent restarts into it
// (server.ts, the run command); confirm.ts and the installer's rollback script do the rest.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, link, rename, rm, writeFile } from "node:fs/promises";
import { isSea } from "node:sea";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type AgentArch, agentBinaryName } from "@steward/contracts/agent";
import { type OpContext, OpFailure, type OpHandler } from "../ops/types.ts";
import { panelFetch } from "../panel-fetch.ts";
import { AGENT_VERSION } from "../version.ts";
import { upgradeFiles } from "./files.ts";

/** the file's SHA-256, written to `to` as it arrives (0700) */
async function download(ctx: OpContext, url: string, to: string): Promise<string> {
  let res: Response;
  try {
    res = await panelFetch(ctx.config.panelPin)(url, { signal: ctx.signal });
  } catch (e) {
    throw new OpFailure("DOWNLOAD_FAILED", `cannot download ${url}: ${(e as Error).message}`);
  }
  if (res.status !== 200 || !res.body)
    throw new OpFailure("DOWNLOAD_FAILED", `the panel answered ${res.status} to ${url}`);
  const hash = createHash("sha256");
  const source = Readable.fromWeb(res.body as import("node:stream/web").ReadableStream);
  source.on("data", (chunk: Buffer) => hash.update(chunk));
  await pipeline(source, createWriteStream(to, { mode: 0o700 }), { signal: ctx.signal });
  return hash.digest("hex");
}

export const agentUpgrade: OpHandler<"agent.upgrade"> = {
  name: "agent.upgrade",
  async run(ctx, input) {
    const from = AGENT_VERSION;
    if (!isSea())
      throw new OpFailure(
        "UPGRADE_UNSUPPORTED",
        "this agent runs from Steward's sources (steward agent): update that checkout; only the single-file agent (steward-agent) upgrades itself",
      );
    if (input.version === from) return { from, to: input.version, restart: false };
    const files = upgradeFiles();
    const arch = process.arch as AgentArch;
    const url = `${ctx.config.panelUrl.replace(/\/+$/, "")}/install/agent/${input.version}/${agentBinaryName(arch)}`;
    await ctx.phase("stage", async () => {
      ctx.onRollback("remove the download", () => rm(files.next, { force: true }));
      const sha256 = await ctx.step(`download ${url}`, () => download(ctx, url, files.next));
      if (sha256 !== input.sha256)
        throw new OpFailure(
          "CHECKSUM_MISMATCH",
          `the file downloaded from ${url} has SHA-256 ${sha256}, not the panel's ${input.sha256}: not installed`,
        );
    });
    await ctx.phase("test", async () => {
      const r = await ctx.exec("run the new agent's --version", [files.next, "--version"], {
        timeoutMs: 60_000,
      });
      if (r.stdout.trim() !== input.version)
        throw new OpFailure(
          "VERIFY_FAILED",
          `the downloaded agent says it is ${JSON.stringify(r.stdout.trim().slice(0, 64))}, not ${input.version}: not installed`,
        );
    });
    await ctx.phase("activate", async () => {
      await ctx.step("keep the running agent as steward-agent.previous", async () => {
        const keeping = `${files.previous}.${process.pid}`;
        await rm(keeping, { force: true });
        await link(files.binary, keeping);
        await rename(keeping, files.previous);
      });
      ctx.onRollback("put the previous agent back", async () => {
        await rm(files.pending, { force: true });
        const back = `${files.binary}.${process.pid}`;
        await copyFile(files.previous, back);
        await rename(back, files.binary);
      });
      await ctx.step(`swap ${input.version} in`, async () => {
        await writeFile(files.pending, `${input.version}\n`, { mode: 0o600 });
        await rename(files.next, files.binary);
      });
      ctx.changed();
    });
    ctx.log("info", `${input.version} is in place: the agent restarts into it`);
    return { from, to: input.version, restart: true };
  },
};
