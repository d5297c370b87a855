// The agent on another server, end to end (docs/install.md): the single-file agent built once
// (npm run build:agent, reused while its bundle is unchanged), a real panel with a self-signed
// certificate serving it and the installer, the console's one-line installer run into a
// scratch root (--root; --no-systemd: no systemd PID 1 here, the runner does what the unit
// would), enrollment, the agent answering facts and an operation, the unit checked by
// systemd-analyze, a second run changing nothing, upgrades (one good, one broken build that
// rolls back by itself) and the uninstall.
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startTestServer, type TestServer } from "@steward/server/testing/harness";
import { settleTask } from "@steward/server/testing/real-node";
import { freePort } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuiltAgent } from "./build-agent.ts";
import { builtAgent, publish, publishBroken } from "./testing/agent-build.ts";
import { repoRoot } from "./testing/cli.ts";

let s: TestServer;
let built: BuiltAgent;
let next: BuiltAgent;
let work: string;
let root: string;
let panelUrl: string;
let pin: string;
let agentPort: number;
let nodeId: string;

/** the panel runs in this process: what talks to it must not block it */
const run = promisify(execFile);

const prefix = () => join(root, "usr/local/lib/steward");
const data = () => join(root, "var/lib/steward-agent");
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const runnerPid = () => Number(readFileSync(join(data(), "runner.pid"), "utf8"));

/** what `curl … | sudo sh -s -- ARGS` does, without a shell line: curl's output piped into sh */
function curlPipeSh(curlArgs: string[], shArgs: string[]) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const curl = spawn("curl", curlArgs, { stdio: ["ignore", "pipe", "pipe"] });
    const sh = spawn("sh", ["-s", "--", ...shArgs], {
      stdio: ["pipe", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    curl.stdout.pipe(sh.stdin);
    let stderr = "";
    for (const p of [curl, sh] as ChildProcess[]) p.stderr?.on("data", (d) => (stderr += d));
    sh.on("exit", (code) => resolve({ code, stderr }));
  });
}

/** the console's line, as argv: curl's arguments and the token */
function parseLine(line: string) {
  const m =
    /^curl (.*) (https:\/\/\S+\/install\/agent\.sh) \| sudo sh -s -- --token '([^']+)'$/.exec(line);
  if (!m) throw new Error(`not an installer line: ${line}`);
  const flags = (m[1] ?? "").split(" ").map((w) => w.replace(/^'|'$/g, ""));
  return { curl: [...flags, m[2] as string], token: m[3] as string };
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined) {
  const end = Date.now() + 30_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  built = await builtAgent();
  next = await builtAgent("0.1.1-test");
  work = mkdtempSync(join(tmpdir(), "steward-agent-install-"));
  root = join(work, "root");
  const dist = join(work, "dist");
  publish(dist, built);
  publish(dist, next);
  publishBroken(dist, "0.1.2-broken");
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"],
      ...["-keyout", join(work, "tls.key"), "-out", join(work, "tls.crt"), "-days", "2"],
      ...["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  const port = await freePort();
  agentPort = await freePort();
  panelUrl = `https://127.0.0.1:${port}`;
  s = await startTestServer("sqlite", {
    STEWARD_PORT: String(port),
    STEWARD_PUBLIC_URL: panelUrl,
    STEWARD_TLS_CERT: join(work, "tls.crt"),
    STEWARD_TLS_KEY: join(work, "tls.key"),
    STEWARD_AGENT_DIST: dist,
  });
  s.svc.engine.startWorker();
}, 240_000);

afterAll(async () => {
  if (existsSync(join(root, "var/lib/steward-agent/runner.pid"))) {
    try {
      process.kill(runnerPid(), "SIGTERM");
    } catch {}
  }
  await s?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the single-file agent", () => {
  it("prints its version and is the build's checksum; V8 takes its code cache", () => {
    const file = built.binaries[process.arch] as string;
    const run = spawnSync(file, ["--version"], { encoding: "utf8" });
    expect(run.stdout.trim()).toBe(built.version);
    // a cache made under other V8 flags than the agent's is refused (24 MB more private memory)
    expect(run.stderr).not.toContain("Code cache data rejected");
    expect(readFileSync(`${file}.sha256`, "utf8")).toBe(
      `${sha(file)}  steward-agent-linux-${process.arch}\n`,
    );
  });
});

describe("installing an agent from the console's line", () => {
  it("serves the installer with the panel's URL, pin and version; refuses another key", async () => {
    const node = await s.svc.nodes.create(s.cli, {
      name: "far",
      agentUrl: `https://127.0.0.1:${agentPort}`,
    });
    nodeId = node.id;
    const made = await s.svc.nodes.enrollmentToken(s.cli, nodeId);
    pin = made.panelPin as string;
    expect(pin).toMatch(/^sha256\/\/[A-Za-z0-9+/]{43}=$/);
    expect(made.installCommand).toBe(
      `curl -fsSL -k --pinnedpubkey '${pin}' ${panelUrl}/install/agent.sh | sudo sh -s -- --token '${made.token}'`,
    );
    const { stdout: script } = await run("curl", [
      ...["-fsSL", "-k", "--pinnedpubkey", pin, `${panelUrl}/install/agent.sh`],
    ]);
    expect(script).toContain(`\nPANEL_URL='${panelUrl}'\n`);
    expect(script).toContain(`\nPANEL_PIN='${pin}'\n`);
    expect(script).toContain(`\nAGENT_VERSION='${built.version}'\n`);
    // another key than the pinned one: curl stops before reading anything
    const wrong = `sha256//${Buffer.alloc(32, 7).toString("base64")}`;
    await expect(
      run("curl", ["-fsSL", "-k", "--pinnedpubkey", wrong, `${panelUrl}/install/agent.sh`]),
    ).rejects.toThrow(/SSL: public key does not match pinned public key/);
  });

  it("installs into a scratch root, enrolls, starts; the agent answers the panel", async () => {
    const made = await s.svc.nodes.enrollmentToken(s.cli, nodeId);
    const line = parseLine(made.installCommand as string);
    const extra = ["--root", root, "--no-systemd", "--listen", `127.0.0.1:${agentPort}`];
    const r = await curlPipeSh(line.curl, ["--token", line.token, ...extra]);
    expect(r.stderr).toContain("installed");
    expect(r.code).toBe(0);

    const bin = join(prefix(), "steward-agent");
    expect(sha(bin)).toBe(sha(built.binaries[process.arch] as string));
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(statSync(data()).mode & 0o777).toBe(0o700);
    expect(statSync(join(data(), "agent.json")).mode & 0o777).toBe(0o600);
    const json = JSON.parse(readFileSync(join(data(), "agent.json"), "utf8"));
    expect(json).toMatchObject({ nodeId, panelUrl, panelPin: pin });
    const unit = join(root, "etc/systemd/system/steward-agent.service");
    const text = readFileSync(unit, "utf8");
    expect(text).toContain(
      "ExecStart=/usr/local/lib/steward/steward-agent run --dir /var/lib/steward-agent",
    );
    expect(text).toContain("NoNewPrivileges=yes");
    // the unit as systemd reads it (no systemd PID 1 here: verify only), its paths pointed
    // into the scratch root where the files are
    const scratch = join(work, "steward-agent.service");
    writeFileSync(
      scratch,
      text
        .replaceAll("/usr/local/lib/steward/", `${prefix()}/`)
        .replaceAll("/var/lib/steward-agent", data()),
    );
    await run("systemd-analyze", ["verify", scratch]);

    expect((await s.svc.nodes.get(s.cli, nodeId)).state).toBe("trusted");
    const facts = await until("the node's facts", async () => {
      const n = await s.svc.nodes.get(s.cli, nodeId);
      return n.facts ?? undefined;
    });
    expect(facts.arch).toBe(process.arch);
    const ping = await s.svc.agents.runOperation(nodeId, "system.ping", { message: "far away" });
    expect(ping).toMatchObject({ status: "ok", output: { message: "far away" } });
  });

  it("a second run changes nothing and keeps the runner", async () => {
    const pid = runnerPid();
    const made = await s.svc.nodes.enrollmentToken(s.cli, nodeId);
    const line = parseLine(made.installCommand as string);
    const r = await curlPipeSh(line.curl, ["--root", root, "--no-systemd"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("is already");
    expect(r.stderr).toContain("keeping its identity");
    expect(runnerPid()).toBe(pid);
  });
});

describe("agent upgrades", () => {
  const upgrade = async (version: string) => {
    const { taskId } = await s.svc.nodes.upgradeAgent(s.cli, nodeId, { version });
    return settleTask(s, taskId, 120_000);
  };
  const health = async () =>
    (await s.svc.agents.request(nodeId, { method: "GET", path: "/v1/health", sub: "health" })) as {
      version: string;
    };

  it("a good build: the agent answers with the new version, the old one kept", async () => {
    const task = await upgrade(next.version);
    expect(task.last_error).toBeNull();
    expect(task.state).toBe("succeeded");
    expect((await health()).version).toBe(next.version);
    expect(sha(join(prefix(), "steward-agent"))).toBe(sha(next.binaries[process.arch] as string));
    expect(sha(join(prefix(), "steward-agent.previous"))).toBe(
      sha(built.binaries[process.arch] as string),
    );
    expect(existsSync(join(prefix(), "upgrade-pending"))).toBe(false);
  });

  it("a build that does not start rolls back by itself; the task says so", async () => {
    const task = await upgrade("0.1.2-broken");
    expect(task.state).toBe("failed");
    expect(task.last_error).toContain(
      `did not come up as 0.1.2-broken: it rolled back to ${next.version} by itself`,
    );
    expect((await health()).version).toBe(next.version);
    expect(sha(join(prefix(), "steward-agent"))).toBe(sha(next.binaries[process.arch] as string));
    expect(readFileSync(join(prefix(), "steward-agent.failed"), "utf8")).toContain("broken");
  });
});

describe("uninstalling", () => {
  it("stops the runner, removes the binary and the unit, keeps the identity", async () => {
    const pid = runnerPid();
    const r = spawn("sh", [join(repoRoot, "install/agent.sh"), "--uninstall", "--root", root]);
    const code = await new Promise((resolve) => r.on("exit", resolve));
    expect(code).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(prefix())).toBe(false);
    expect(existsSync(join(root, "etc/systemd/system/steward-agent.service"))).toBe(false);
    expect(existsSync(join(data(), "agent.json"))).toBe(true);
  });
});
