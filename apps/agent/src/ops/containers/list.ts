// The engine's containers as Steward reports them: name, app and deployment (labels), state,
// health and published ports. List answers carry no health: it is read from the state text
// ("Up 3 seconds (healthy)") where the engine puts it, else from an inspect.
import type { ContainerInfo, OpInput, OpOutput } from "@steward/contracts/agent";
import type { OpHandler } from "../types.ts";
import { type Engine, engineOf, expectStatus, labelFilter, q } from "./engine.ts";

export const APP_LABEL = "steward.app";
export const DEPLOYMENT_LABEL = "steward.deployment";

export interface ListedContainer {
  Id: string;
  Names?: string[];
  Image?: string;
  ImageID?: string;
  State?: string;
  Status?: string;
  Created?: number;
  Labels?: Record<string, string> | null;
  Ports?: { PrivatePort?: number; PublicPort?: number; Type?: string }[] | null;
}

function healthOf(status: string): string | null {
  const m = /\((healthy|unhealthy|starting|health: starting)\)/.exec(status);
  if (!m?.[1]) return null;
  return m[1] === "health: starting" ? "starting" : m[1];
}

export function infoOf(c: ListedContainer): ContainerInfo {
  const labels = c.Labels ?? {};
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id).replace(/^\//, ""),
    appId: labels[APP_LABEL] ?? null,
    deploymentId: labels[DEPLOYMENT_LABEL] ?? null,
    service: labels["com.docker.compose.service"] ?? null,
    image: c.Image ?? "",
    state: c.State ?? "unknown",
    status: c.Status ?? "",
    health: healthOf(c.Status ?? ""),
    ports: (c.Ports ?? [])
      .filter((p) => p.PublicPort && p.PrivatePort)
      .map((p) => ({
        container: p.PrivatePort as number,
        host: p.PublicPort as number,
        protocol: p.Type === "udp" ? ("udp" as const) : ("tcp" as const),
      })),
    createdAt: new Date((c.Created ?? 0) * 1000).toISOString(),
  };
}

/** Every container (running and stopped), or an app's. */
export async function listContainers(engine: Engine, appId?: string): Promise<ListedContainer[]> {
  const filters = appId ? `&filters=${labelFilter(`${APP_LABEL}=${appId}`)}` : "";
  const a = await engine.call("GET", `/containers/json?${q({ all: 1 })}${filters}`);
  return expectStatus(a, "list containers") as ListedContainer[];
}

export const containerList: OpHandler<"container.list"> = {
  name: "container.list",
  async run(ctx, input: OpInput<"container.list">): Promise<OpOutput<"container.list">> {
    const engine = engineOf(ctx.config);
    const listed = await ctx.step("list containers", () => listContainers(engine, input.appId));
    return { containers: listed.map(infoOf).sort((a, b) => a.name.localeCompare(b.name)) };
  },
};
