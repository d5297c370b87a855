// Deploys through the panel: `POST /api/v1/apps` (a quick service) until the app reads
// `running` on `GET /api/v1/apps/{id}` (the app.deploy task has run on the worker, the agent
// has created and started the container and its health check has passed), read every 25 ms.
import { HTTPD_IMAGE } from "@steward/testkit";
import { COMMAND, HEALTH } from "./direct.ts";
import type { PanelNode } from "./panel-node.ts";
import { type DeployRow, deployRow } from "./result.ts";

interface App {
  id: string;
  status: string;
  lastError: string | null;
}

export const quickService = (n: PanelNode, name: string) => ({
  account: n.account,
  node: n.nodeId,
  image: HTTPD_IMAGE,
  name,
  command: COMMAND,
  ports: [{ container: 8080 }],
  healthCheck: { command: HEALTH, intervalSeconds: 1 },
});

/** Creates the app and resolves once it is running (its id); throws when its deploy fails. */
export async function deployed(n: PanelNode, name: string, pollMs = 25): Promise<string> {
  const { id } = (await n.call("POST", "/api/v1/apps", quickService(n, name))) as App;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const app = (await n.call("GET", `/api/v1/apps/${id}`)) as App;
    if (app.status === "running") return id;
    if (app.status === "failed") throw new Error(`${name}: ${app.lastError}`);
    if (Date.now() > deadline) throw new Error(`${name}: still ${app.status} after 5 minutes`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export async function stewardApi(n: PanelNode, deploys: number): Promise<DeployRow> {
  const times: number[] = [];
  for (let i = 0; i < deploys; i++) {
    const start = performance.now();
    const id = await deployed(n, `timed-${i}`);
    times.push(performance.now() - start);
    await n.call("DELETE", `/api/v1/apps/${id}`);
  }
  return deployRow("steward", times);
}
