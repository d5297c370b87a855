// The container engine's part of the node's facts: its version and disk usage, or nulls when
// its socket does not answer (facts never fail as a whole).
import type { Facts } from "@steward/contracts/agent";
import type { AgentConfig } from "../../config.ts";
import { run } from "../../system/exec.ts";
import { requireCompose } from "./compose-run.ts";
import { diskUsage } from "./disk.ts";
import { engineOf } from "./engine.ts";

/** docker-compose's version ("1.29.2"), or null when the node has none. */
async function composeVersion(config: AgentConfig): Promise<string | null> {
  try {
    const bin = await requireCompose(config);
    const { stdout } = await run([bin, "version", "--short"], { timeoutMs: 10_000 });
    return stdout.trim().slice(0, 40) || null;
  } catch {
    return null;
  }
}

export async function engineFacts(config: AgentConfig): Promise<Facts["containers"]> {
  const engine = engineOf(config);
  const compose = await composeVersion(config);
  try {
    const v = await engine.call("GET", "/version", undefined, 5_000);
    const version =
      v.status === 200 ? String((v.body as { Version?: unknown }).Version ?? "") : null;
    const usage = version === null ? null : await diskUsage(engine).catch(() => null);
    return { engine: engine.kind, version, diskUsage: usage, compose };
  } catch {
    return { engine: engine.kind, version: null, diskUsage: null, compose };
  }
}
