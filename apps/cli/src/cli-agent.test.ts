// `steward agent enroll` and `steward agent` as processes: enrollment against a local HTTP
// server answering like the panel (the real panel's side is tested with the panel), then the
// agent serving over mTLS, stopping on SIGTERM, and loading none of the panel's code.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ENROLL_TOKEN,
  type EnrollPanel,
  mintToken,
  send,
  startEnrollPanel,
} from "@steward/agent/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseEnv, cliMain, removeDataDirs, repoRoot, runNode, tempDataDir } from "./testing/cli.ts";

let panel: EnrollPanel;
beforeAll(async () => {
  panel = await startEnrollPanel("node_cli");
});
afterAll(async () => {
  await panel.close();
  removeDataDirs();
});

const cli = (cwd: string, args: string[]) =>
  runNode(process.execPath, cwd, [cliMain, ...args], { timeoutMs: 30_000 });

describe("steward agent", () => {
  it("enrolls, refuses a second enrollment, serves over mTLS, stops on SIGTERM, loads no panel code", async () => {
    const work = tempDataDir("steward-agent-cli-");
    const dir = join(work, "agent");
    const bad = await cli(work, [
      "agent",
      "enroll",
      "--panel",
      panel.url,
      "--token",
      "x".repeat(30),
      "--dir",
      dir,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "steward: the panel refused the enrollment token: unknown or used token\n",
    );

    const args = [
      "agent",
      "enroll",
      "--panel",
      panel.url,
      "--token",
      ENROLL_TOKEN,
      "--dir",
      dir,
      "--listen",
      "127.0.0.1:0",
    ];
    const ok = await cli(work, args);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^enrolled as node node_cli /);
    const twice = await cli(work, args);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already enrolled as node node_cli; use --force/);

    const modules = join(work, "modules.txt");
    const child = spawn(
      process.execPath,
      [
        "--import",
        join(repoRoot, "apps/cli/src/testing/record-modules.ts"),
        cliMain,
        "agent",
        "--dir",
        dir,
      ],
      { env: baseEnv({ STEWARD_RECORD_MODULES: modules }), stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
        const m = /"port":(\d+),"msg":"agent listening"/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      let err = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        err += d;
      });
      child.on("exit", () => reject(new Error(`the agent exited: ${out} ${err}`)));
    });
    const token = await mintToken(panel.panelId.key, { aud: "node_cli", sub: "health" });
    const h = await send(`https://127.0.0.1:${port}/v1/health`, panel.ca.ca, panel.panelId, token, {
      requestId: "cli-req-1",
    });
    expect(h.status).toBe(200);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/"reqId":"cli-req-1"/);
    expect(out).toMatch(/"msg":"agent stopped"/);

    const loaded = readFileSync(modules, "utf8").split("\n");
    expect(loaded.some((u) => u.includes("/apps/agent/src/server.ts"))).toBe(true);
    const panelCode = loaded.filter((u) =>
      /\/apps\/server\/|\/node_modules\/(fastify|kysely|better-auth|pg)\//.test(u),
    );
    expect(panelCode).toEqual([]);
  });

  it("a backup into a directory loads no AWS SDK, even with an S3 destination opened", async () => {
    const work = tempDataDir("steward-agent-cli-");
    const modules = join(work, "modules.txt");
    // what backup.run does (run-op.ts): the destinations opened, the source streamed into them
    const script = `
      import { Readable } from "node:stream";
      import { openDestination, runBackup } from "@steward/agent/backups";
      const s3 = openDestination({ kind: "s3", endpoint: "http://127.0.0.1:9", region: "us-east-1",
        bucket: "unused", prefix: "", forcePathStyle: true, accessKeyId: "a", secretAccessKey: "b" });
      const dir = openDestination({ kind: "local", nodeId: "n", path: ${JSON.stringify(join(work, "out"))} });
      const result = await runBackup({
        source: Readable.from([Buffer.from("steward")]),
        sourceInfo: { kind: "files", nodeId: "n", description: "/srv", producer: null },
        name: "srv-1.tar.zst", compressionLevel: 3, recipients: [],
        destinations: [{ id: "dir", destination: dir }],
      });
      await s3.close();
      process.stdout.write(result.status);
    `;
    const r = await runNode(
      process.execPath,
      join(repoRoot, "apps/agent"),
      [
        "--import",
        join(repoRoot, "apps/cli/src/testing/record-modules.ts"),
        "--input-type=module",
        "-e",
        script,
      ],
      { env: { STEWARD_RECORD_MODULES: modules }, timeoutMs: 30_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("succeeded");
    const loaded = readFileSync(modules, "utf8").split("\n");
    expect(loaded.some((u) => u.includes("/apps/agent/src/ops/backups/s3.ts"))).toBe(true);
    expect(loaded.filter((u) => u.includes("/node_modules/@aws-sdk/"))).toEqual([]);
  });

  it("says how to fix a missing or bad agent.json", async () => {
    const work = tempDataDir("steward-agent-cli-");
    const r = await cli(work, ["agent", "--dir", join(work, "none")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `steward: ${join(work, "none", "agent.json")} does not exist: enroll first (steward agent enroll)\n`,
    );
  });
});
