// The local agent dies with its `serve`, even when `serve` is killed with SIGKILL; and an agent
// a previous `serve` left running (one that did not watch its parent) is found through the pid
// file and replaced, instead of the new agent crash-looping on EADDRINUSE.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { alive } from "@steward/server/testing/processes";
import { freePort } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { baseEnv, cliMain, removeDataDirs, tempDataDir, warmUp } from "./testing/cli.ts";
import { killRunning, running, serveWithLocalAgent, until } from "./testing/local-agent.ts";

afterAll(() => {
  killRunning();
  removeDataDirs();
});

const listening = (port: number) =>
  new Promise<true | undefined>((resolve) => {
    const s = connect(port, "127.0.0.1", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(undefined));
  });

describe("the local agent's lifetime", () => {
  it("dies with a SIGKILLed serve; the next serve replaces an orphan agent", async () => {
    await warmUp();
    const dataDir = tempDataDir("steward-agent-orphan-");
    const pidFile = join(dataDir, "local-agent.pid");
    const [port, agentPort] = [await freePort(), await freePort()];
    const readPid = () => Number.parseInt(readFileSync(pidFile, "utf8"), 10) || undefined;

    // 1. serve enrolls and starts its agent, which listens on the agent port
    const first = serveWithLocalAgent(dataDir, port, agentPort);
    const agentPid = await until("the first agent's pid file", readPid);
    await until("the first agent to listen", () => listening(agentPort));
    expect(alive(agentPid)).toBe(true);

    // 2. kill -9 of serve: its agent notices the closed pipe and exits, freeing the port
    first.child.kill("SIGKILL");
    await until("the agent to exit after its parent", () => (alive(agentPid) ? undefined : true));
    await until("the port to be free", async () =>
      (await listening(agentPort)) ? undefined : true,
    );

    // 3. an orphan as an older serve left it: the agent command, without the parent watch
    const orphan = spawn(process.execPath, [cliMain, "agent", "--dir", join(dataDir, "agent")], {
      cwd: dataDir,
      env: baseEnv(),
      stdio: "ignore",
    });
    running.push(orphan);
    const orphanGone = new Promise((r) => orphan.once("exit", r));
    writeFileSync(pidFile, `${orphan.pid}\n`);
    await until("the orphan to listen", () => listening(agentPort));

    // 4. the next serve stops the orphan and runs its own agent on the port
    const second = serveWithLocalAgent(dataDir, port, agentPort);
    await orphanGone;
    const newPid = await until("the new agent's pid", () => {
      const p = readPid();
      return p && p !== orphan.pid && alive(p) ? p : undefined;
    });
    await until("the new agent to listen", () => listening(agentPort));
    expect(second.out()).toContain("stopped the local agent a previous serve left running");
    expect(second.out()).not.toContain("the local agent stopped; restarting");
    expect(alive(newPid)).toBe(true);

    // 5. a plain stop stops the agent too
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
    await until("the agent to stop with serve", () => (alive(newPid) ? undefined : true));
  }, 240_000);
});
