// How `steward` starts: the modules a command loads (recorded by a `--import` hook, so no
// clock is involved) and the launcher that becomes the pinned Node instead of waiting on it.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { commandTable } from "./commands/table.ts";
import {
  baseEnv,
  cliMain,
  removeDataDirs,
  repoRoot,
  runCli,
  runNode,
  tempDataDir,
} from "./testing/cli.ts";

afterAll(removeDataDirs);

const recorder = join(repoRoot, "apps/cli/src/testing/record-modules.ts");

/** Runs the command with the recording hook; the repository files it loaded, sorted. */
async function filesLoadedBy(args: string[], code = 0, dir = tempDataDir()) {
  const list = join(dir, `modules-${randomUUID()}.txt`);
  const r = await runCli(dir, args, {
    preload: recorder,
    env: { STEWARD_RECORD_MODULES: list },
    timeoutMs: 60_000, // the hook writes a line per module: `user list` loads ~1,500
  });
  expect(r.code, r.stderr).toBe(code);
  const urls = readFileSync(list, "utf8").split("\n");
  const files = urls.filter((u) => u.startsWith("file:")).map((u) => fileURLToPath(u));
  return { r, files: [...new Set(files.map((f) => relative(repoRoot, f)))].sort() };
}

const commander = (f: string) => f.startsWith("node_modules/commander/");

describe.concurrent("steward's start-up", () => {
  it("--help, --version and help load commander and the command table, nothing else", async () => {
    const version = JSON.parse(readFileSync(join(repoRoot, "apps/cli/package.json"), "utf8"));
    for (const args of [["--help"], ["--version"], ["--json", "help"]]) {
      const { r, files } = await filesLoadedBy(args);
      expect(files.some(commander), "the hook saw commander").toBe(true);
      // not the server, its dependencies (better-auth, pino, kysely, fastify), the API's
      // schemas (zod) or any command's module
      expect(files.filter((f) => !commander(f))).toEqual([
        "apps/cli/package.json",
        "apps/cli/src/commands/table.ts",
        "apps/cli/src/io.ts",
        "apps/cli/src/main.ts",
        "apps/cli/src/node-flags.ts",
        "apps/cli/src/panel.ts",
        "apps/cli/src/pipe.ts",
        "apps/cli/src/source.ts",
      ]);
      if (args[0] === "--version") expect(r.stdout).toBe(`${version.version}\n`);
      else
        for (const [name, { description }] of Object.entries(commandTable)) {
          const line = r.stdout.split("\n").find((l) => l.startsWith(`  ${name} `));
          expect(line, name).toContain(description.slice(0, 20));
        }
    }
  }, 180_000);

  it("a command loads its own module, not the other commands'", async () => {
    const { files } = await filesLoadedBy(["user", "list"]);
    const commands = files.filter((f) => f.startsWith("apps/cli/src/commands/"));
    expect(commands).toEqual([
      "apps/cli/src/commands/shapes.ts",
      "apps/cli/src/commands/table.ts",
      "apps/cli/src/commands/users.ts",
    ]);
    expect(files.filter((f) => f.startsWith("packages/agent/"))).toEqual([]);
  }, 180_000);

  it("`user list` loads the users' services: no HTTP server, better-auth, logger or PKI", async () => {
    const dir = tempDataDir();
    // the first run migrates the new database and writes its master key check (which looks
    // for sealed PKI keys); what every later run loads is what is pinned here
    await filesLoadedBy(["user", "list"], 0, dir);
    const { r, files } = await filesLoadedBy(["user", "list"], 0, dir);
    expect(r.stdout).toContain("(none)");
    const heavy =
      /^node_modules\/(fastify|@fastify|better-auth|@better-auth\/(api-key|passkey)|@simplewebauthn|@peculiar|pino|prom-client|jose)\//;
    expect(files.filter((f) => heavy.test(f))).toEqual([]);
    const server = files.filter((f) => f.startsWith("apps/server/src/"));
    expect(server).toContain("apps/server/src/modules/users/service.ts");
    // neither part of the services loaded (services.ts): better-auth's nor the task engine's
    for (const part of ["services-auth.ts", "services-engine.ts", "http/", "engine/engine.ts"])
      expect(
        server.filter((f) => f.includes(part)),
        part,
      ).toEqual([]);
    expect(files.filter((f) => f.startsWith("packages/pki/"))).toEqual([]);
  }, 180_000);

  it("a command's help, and input it refuses, load none of the server's modules", async () => {
    const runs = await Promise.all([
      filesLoadedBy(["user", "--help"]),
      filesLoadedBy(["user", "list", "--limit", "0"], 2),
    ]);
    expect(runs[1].r.stderr).toBe("steward: --limit: must be between 1 and 200\n");
    for (const { files } of runs) {
      expect(files).toContain("apps/cli/src/commands/users.ts");
      const server = /^(apps\/server|node_modules\/(better-auth|pino|kysely|fastify))\//;
      expect(files.filter((f) => server.test(f))).toEqual([]);
    }
  }, 180_000);

  it("the prebuilt bundle bin/steward runs answers as the sources do", async () => {
    const out = join(tempDataDir(), "cli");
    execFileSync(process.execPath, [join(repoRoot, "apps/cli/src/bundle.ts"), out]);
    const dir = tempDataDir();
    const opts = { timeoutMs: 60_000 };
    const bundled = (args: string[]) =>
      runNode(process.execPath, dir, [join(out, "main.js"), ...args], opts);
    const sources = (args: string[]) => runNode(process.execPath, dir, [cliMain, ...args], opts);
    // a password to hash (better-auth's part) and the first super user's tasks (the engine's)
    const created = await bundled([
      ...["--json", "user", "create", "--email", "b@example.com", "--super"],
      ...["--password", "correct horse battery staple"],
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: "b@example.com", super: true });
    for (const args of [
      ["--version"],
      ["--help"],
      ["user", "list"],
      ["--json", "user", "list"],
      ["user", "list", "--limit", "0"],
      ["--json", "task", "list"],
      ["apikey", "list", "--user", "nobody@example.com"],
    ]) {
      const [fromBundle, fromSources] = [await bundled(args), await sources(args)];
      expect(fromBundle, args.join(" ")).toEqual(fromSources);
    }
  }, 180_000);

  it("bin/steward becomes the pinned Node: `serve` is the process it started, no wrapper", async () => {
    const dir = tempDataDir();
    const port = await freePort();
    const child = spawn("/bin/sh", [join(repoRoot, "apps/cli/bin/steward"), "serve"], {
      cwd: dir,
      // the console is not needed here; a test must not spend minutes building it
      env: baseEnv({
        STEWARD_DATA_DIR: dir,
        STEWARD_PORT: String(port),
        STEWARD_SKIP_WEB_BUILD: "1",
      }),
      stdio: "ignore",
    });
    try {
      const deadline = Date.now() + 60_000;
      let up = false;
      while (!up && child.exitCode === null && Date.now() < deadline) {
        up = (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok === true;
        if (!up) await new Promise((r) => setTimeout(r, 100));
      }
      expect(up, "serve answered /healthz").toBe(true);
      // the pid the shell had is now the pinned Node running serve with its V8 flags…
      expect(realpathSync(`/proc/${child.pid}/exe`)).toBe(realpathSync(process.execPath));
      const argv = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
      expect(argv).toEqual(
        expect.arrayContaining([
          "--max-semi-space-size=8",
          "--initial-old-space-size=64",
          "--heap-growing-percent=25",
          "serve",
        ]),
      );
      expect(argv).toContain(join(repoRoot, "apps/cli/src/main.ts"));
      // …with no process under it (the tests' panels run no local agent)
      const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8");
      expect(children.trim()).toBe("");
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    }
  }, 180_000);

  it("`serve` keeps a V8 flag given on Node's command line or in NODE_OPTIONS instead of its own value", async () => {
    const dir = tempDataDir();
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ["--heap-growing-percent=100", cliMain, "serve", "--port", String(port)],
      {
        cwd: dir,
        // its own semi-space flag on the command line would win over NODE_OPTIONS' one
        env: baseEnv({ STEWARD_DATA_DIR: dir, NODE_OPTIONS: "--max-semi-space-size=16" }),
        stdio: "ignore",
      },
    );
    try {
      // the process becomes one started with the flags first thing (execve): no need to wait
      // for the panel to answer
      const deadline = Date.now() + 60_000;
      let argv: string[] = [];
      while (!argv.includes("--initial-old-space-size=64") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        argv = readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0");
      }
      expect(argv).toContain("--initial-old-space-size=64");
      expect(argv).toContain("--heap-growing-percent=100");
      expect(argv).not.toContain("--heap-growing-percent=25");
      expect(argv.filter((a) => a.startsWith("--max-semi-space-size"))).toEqual([]);
    } finally {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    }
  }, 120_000);
});
