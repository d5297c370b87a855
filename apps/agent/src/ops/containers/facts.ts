// The container engine's part of the node's facts: its version and disk usage, or nulls when
// its socket does not answer (facts never fail as a whole).
import type { Facts } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { diskUsage } from "./disk.ts";
import { engineOf } from "./engine.ts";

export async function engineFacts(config: AgentConfig): Promise<Facts["containers"]> {
  const engine = engineOf(config);
  try {
    const v = await engine.call("GET", "/version", undefined, 5_000);
    const version =
      v.status === 200 ? String((v.body as { Version?: unknown }).Version ?? "") : null;
    const usage = version === null ? null : await diskUsage(engine).catch(() => null);
    return { engine: engine.kind, version, diskUsage: usage };
  } catch {
    return { engine: engine.kind, version: null, diskUsage: null };
  }
}
