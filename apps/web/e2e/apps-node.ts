// A node for the apps pages' tests: an agent enrolled through the panel's public endpoint,
// its engine a hermetic Podman (testkit startPodman), its apps' directories under `dir`.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type AgentServer, enroll, loadConfig, startAgent } from "@steward/agent";
import { freePort, type PodmanServer } from "@steward/testkit";
import pino from "pino";
import type { ConsoleRun } from "./harness-console.ts";

export async function podmanNode(
  run: ConsoleRun,
  podman: PodmanServer,
  dir: string,
): Promise<{ nodeId: string; agent: AgentServer }> {
  const port = await freePort();
  const node = await run.panel.api("POST", "/api/v1/nodes", {
    key: run.key,
    body: { name: "apps-node", agentUrl: `https://127.0.0.1:${port}` },
  });
  const nodeId = node.body.id as string;
  const token = await run.panel.api("POST", `/api/v1/nodes/${nodeId}/enrollment-token`, {
    key: run.key,
  });
  const agentDir = join(dir, "agent");
  await enroll({
    panel: run.panel.url.replace("localhost", "127.0.0.1"),
    token: token.body.token,
    dir: agentDir,
    listen: `127.0.0.1:${port}`,
  });
  const file = join(agentDir, "agent.json");
  const json = JSON.parse(await readFile(file, "utf8"));
  json.systemd = false;
  json.containers = { engine: "podman", socket: podman.socket, appsRoot: join(dir, "apps") };
  await writeFile(file, JSON.stringify(json), { mode: 0o600 });
  const agent = await startAgent(loadConfig(agentDir), { logger: pino({ level: "silent" }) });
  return { nodeId, agent };
}
