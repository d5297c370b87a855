// monitor.check: a batch of monitors' checks from this node (docs/agent.md). Each runs with
// the probes the panel runs (@steward/probes), under the node's outbound policy the panel sent
// plus what only the agent knows (sites/upstream.ts: its own endpoints, this machine's
// addresses, its resolver), checked again at connect time as on the panel. A probe never
// throws: a refused target or a timeout is a "down" result with its reason. Nothing on the
// node changes; the answer is every result, in one batch.
import type { MonitorCheckSpec, OpInput, OpOutput } from "@steward/contracts/agent";
import type { ProbeDeps } from "@steward/probes";
import { loadProbes } from "@steward/probes/types";
import type { AgentConfig } from "../../config.ts";
import { localAddresses, ownEndpoints, resolve } from "../sites/upstream.ts";
import type { OpHandler } from "../types.ts";

/** Checks running at once (a batch may hold a node's share of a tick: up to 2,000). */
const CONCURRENCY = 64;

type Input = OpInput<"monitor.check">;
type Result = OpOutput<"monitor.check">["results"][number];

function depsOf(config: AgentConfig, input: Input, spec: MonitorCheckSpec): ProbeDeps {
  const endpoints = [...input.outbound.endpoints, ...ownEndpoints(config)];
  return {
    policy: { ...input.outbound, allowPrivate: spec.allowPrivate, endpoints },
    localAddresses: localAddresses(),
    resolve: (host) => resolve(config, host).catch(() => null),
    who: "this node",
    location: input.location,
  };
}

export async function runChecks(config: AgentConfig, input: Input): Promise<Result[]> {
  const { runProbe } = await loadProbes();
  const results: Result[] = new Array(input.checks.length);
  let next = 0;
  async function worker() {
    for (let at = next++; at < input.checks.length; at = next++) {
      const spec = input.checks[at] as MonitorCheckSpec;
      const probeInput = { timeoutMs: spec.timeoutMs, intervalMs: 0, lastPingAt: null };
      const result = await runProbe(spec.settings, probeInput, depsOf(config, input, spec));
      results[at] = { id: spec.id, ...result };
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, input.checks.length) }, worker));
  return results;
}

export const monitorCheck: OpHandler<"monitor.check"> = {
  name: "monitor.check",
  async run(ctx, input) {
    const results = await ctx.step(`run ${input.checks.length} checks`, () =>
      runChecks(ctx.config, input),
    );
    return { results };
  },
};
