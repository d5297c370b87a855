// A real panel (`steward serve` on SQLite, the e2e kit's startPanel, no local agent) with one
// node: an agent enrolled through the panel's public endpoint, running as its own process
// (`steward agent`, so its memory and CPU are its own), its engine the hermetic Podman.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { enroll } from "@steward/agent";
import { cliMain } from "@steward/cli/testing/cli";
import { freePort, type PodmanServer } from "@steward/testkit";
import { type Panel, startPanel } from "@steward/web/e2e/harness";

export interface PanelNode {
  panel: Panel;
  /** a super user's API key */
  key: string;
  account: string;
  nodeId: string;
  agentPid: number;
  /** GET/POST/DELETE as the super user; throws on an error status */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, "127.0.0.1", () => resolve(!!s.end()));
    s.once("error", () => resolve(false));
  });

export async function startPanelNode(podman: PodmanServer): Promise<PanelNode> {
  const panel = await startPanel({ env: { STEWARD_LOCAL_AGENT: "0" } });
  let agent: ChildProcess | null = null;
  const close = async () => {
    if (agent?.exitCode === null) {
      agent.kill("SIGTERM");
      await new Promise((r) => agent?.once("exit", r));
    }
    await panel.close(); // removes its data directory, the agent's with it
  };
  try {
    const key = await panel.setupSuper("bench-apps@example.com");
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await panel.api(method, path, { key, ...(body === undefined ? {} : { body }) });
      if (r.status >= 300)
        throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as unknown;
    };
    const { id: account } = (await call("POST", "/api/v1/accounts", {
      name: "Bench",
      slug: "bench",
    })) as { id: string };
    const port = await freePort();
    const { id: nodeId } = (await call("POST", "/api/v1/nodes", {
      name: "bench-node",
      agentUrl: `https://127.0.0.1:${port}`,
    })) as { id: string };
    const { token } = (await call("POST", `/api/v1/nodes/${nodeId}/enrollment-token`)) as {
      token: string;
    };
    const dir = join(panel.dataDir, "bench-agent");
    await enroll({
      panel: panel.url.replace("localhost", "127.0.0.1"),
      token,
      dir,
      listen: `127.0.0.1:${port}`,
    });
    const file = join(dir, "agent.json");
    await writeFile(
      file,
      JSON.stringify({
        ...JSON.parse(await readFile(file, "utf8")),
        systemd: false,
        containers: {
          engine: "podman",
          socket: podman.socket,
          // the default portRange (20000-32767): below the kernel's ephemeral ports, which
          // other processes' connections take at any moment
          appsRoot: join(podman.dir, "apps"),
        },
      }),
      { mode: 0o600 },
    );
    let stderr = "";
    agent = spawn(process.execPath, [cliMain, "agent", "--dir", dir], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    agent.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    for (let i = 0; !(await listening(port)); i++) {
      if (agent.exitCode !== null || i > 600) throw new Error(`the agent did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { panel, key, account, nodeId, agentPid: agent.pid as number, call, close };
  } catch (err) {
    await close();
    throw err;
  }
}
