// The arm64 single-file agent runs (docs/install.md): `npm run build:agent -- --arch arm64`
// (reused while its bundle is unchanged), served by a real panel, downloaded from it and run
// under qemu-aarch64-static with Debian's arm64 runtimes: it prints its version, refuses a bad
// flag, enrolls with that panel, starts and answers it (its facts say arm64, an operation
// goes through). Skipped (failing under STEWARD_REQUIRE_SYSTEM=1) without qemu-user-static.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startTestServer, type TestServer } from "@steward/server/testing/harness";
import { type Aarch64Runner, aarch64Runner, freePort } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltAgent, buildAgent } from "./build-agent.ts";
import { publish } from "./testing/agent-build.ts";
import { repoRoot } from "./testing/cli.ts";

const qemu = aarch64Runner();
/** the panel runs in this process: what talks to it must not block it */
const run = promisify(execFile);

let built: BuiltAgent;
/** the executable as downloaded from the panel */
let bin: string;
let served: { status: number; checksum: string | null; body: Buffer };
let s: TestServer;
let work: string;
let agent: ChildProcess | undefined;
let agentErr = "";

const emulated = (r: Aarch64Runner, args: string[]) =>
  run(r.file, r.args(bin, args), { encoding: "utf8", timeout: 60_000 });

describe.skipIf(!qemu)("the arm64 single-file agent under qemu", () => {
  const r = qemu as Aarch64Runner;

  beforeAll(async () => {
    // its own directory: dist/agent holds this machine's build (another stamp)
    built = await buildAgent({
      archs: ["arm64"],
      out: join(repoRoot, ".cache/agent-builds-arm64"),
    });
    work = mkdtempSync(join(tmpdir(), "steward-agent-arm64-"));
    const dist = join(work, "dist");
    publish(dist, built, "arm64");
    s = await startTestServer("sqlite", { STEWARD_AGENT_DIST: dist });
    s.svc.engine.startWorker();
    const res = await fetch(`${s.url}/install/agent/${built.version}/steward-agent-linux-arm64`);
    served = {
      status: res.status,
      checksum: res.headers.get("x-checksum-sha256"),
      body: Buffer.from(await res.arrayBuffer()),
    };
    bin = join(work, "steward-agent");
    writeFileSync(bin, served.body);
    chmodSync(bin, 0o755);
  }, 240_000);

  afterAll(async () => {
    agent?.kill("SIGTERM");
    if (agent && agent.exitCode === null) await new Promise((done) => agent?.once("exit", done));
    await s?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("is served by the panel: an arm64 executable, its checksum, that prints its version", async () => {
    const { status, checksum, body } = served;
    expect(status).toBe(200);
    const sum = createHash("sha256").update(body).digest("hex");
    expect(checksum).toBe(sum);
    const built64 = built.binaries.arm64 as string;
    expect(readFileSync(`${built64}.sha256`, "utf8")).toBe(`${sum}  steward-agent-linux-arm64\n`);
    // ELF, 64-bit, little endian; e_machine 183: EM_AARCH64
    expect(body.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(body.readUInt16LE(18)).toBe(183);
    const { stdout } = await emulated(r, ["--version"]);
    expect(stdout.trim()).toBe(built.version);
  });

  it("refuses a bad --panel, naming it, and writes nothing", async () => {
    const dir = join(work, "refused");
    const err = await emulated(r, [
      ...["enroll", "--panel", "https://panel;rm -rf /", "--token", "t".repeat(32)],
      ...["--dir", dir],
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 1 });
    expect((err as { stderr: string }).stderr).toContain("--panel must be the panel's URL");
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it("enrolls with a real panel, starts and answers it", async () => {
    const port = await freePort();
    const node = await s.svc.nodes.create(s.cli, {
      name: `arm-${Date.now().toString(36)}`, // a retry makes a node of its own
      agentUrl: `https://127.0.0.1:${port}`,
    });
    const { token } = await s.svc.nodes.enrollmentToken(s.cli, node.id);
    const dir = join(work, "agent");
    await emulated(r, [
      ...["enroll", "--panel", s.url, "--token", token, "--dir", dir],
      ...["--listen", `127.0.0.1:${port}`],
    ]);
    expect(JSON.parse(readFileSync(join(dir, "agent.json"), "utf8"))).toMatchObject({
      nodeId: node.id,
    });
    expect((await s.svc.nodes.get(s.cli, node.id)).state).toBe("trusted");

    agent = spawn(r.file, r.args(bin, ["run", "--dir", dir]), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    agent.stderr?.on("data", (d) => (agentErr += d));
    // The enrollment's facts task may give up before an emulated agent listens (three attempts
    // in ~15 s); the panel's heartbeat, every 30 s (this server has no schedule: asked here every
    // 5 s), then asks for the facts of a node that answers without any.
    const end = Date.now() + 90_000;
    let facts = (await s.svc.nodes.get(s.cli, node.id)).facts;
    for (let i = 0; !facts; i++) {
      if (agent.exitCode !== null) throw new Error(`the agent exited: ${agentErr}`);
      if (Date.now() > end) {
        const tasks = await s.svc.db.db
          .selectFrom("tasks")
          .select(["kind", "state", "attempts", "last_error"])
          .where("kind", "like", "node.%")
          .execute();
        throw new Error(`no facts from the agent: ${agentErr}\n${JSON.stringify(tasks)}`);
      }
      if (i % 10 === 9) await s.svc.engine.enqueue({ kind: "node.heartbeat", payload: {} });
      await new Promise((done) => setTimeout(done, 500));
      facts = (await s.svc.nodes.get(s.cli, node.id)).facts;
    }
    expect(facts.arch).toBe("arm64");
    const ping = await s.svc.agents.runOperation(node.id, "system.ping", { message: "on arm64" });
    expect(ping).toMatchObject({ status: "ok", output: { message: "on arm64" } });
  }, 180_000);
});
