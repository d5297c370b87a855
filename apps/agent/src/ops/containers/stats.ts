// container.stats: one sample of each running container's counters (the engine's one-shot
// stats), CPU as a percentage of one CPU's time since the engine's previous sample.
import type { OpOutput } from "@steward/contracts/agent";
import type { OpHandler } from "../types.ts";
import { engineOf } from "./engine.ts";
import { infoOf, listContainers } from "./list.ts";

interface Stats {
  cpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
}

export function cpuPercent(s: Stats): number {
  const cpu =
    (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const system = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  if (cpu <= 0 || system <= 0) return 0;
  return Math.round((cpu / system) * (s.cpu_stats?.online_cpus ?? 1) * 10000) / 100;
}

export const containerStats: OpHandler<"container.stats"> = {
  name: "container.stats",
  async run(ctx, input): Promise<OpOutput<"container.stats">> {
    const engine = engineOf(ctx.config);
    const running = (await listContainers(engine, input.appId)).filter(
      (c) => c.State === "running",
    );
    const stats = await Promise.all(
      running.map(async (c) => {
        const info = infoOf(c);
        const a = await engine.call(
          "GET",
          `/containers/${encodeURIComponent(c.Id)}/stats?stream=false`,
        );
        const s = (a.status === 200 ? a.body : {}) as Stats;
        const nets = Object.values(s.networks ?? {});
        return {
          id: info.id,
          name: info.name,
          appId: info.appId,
          cpuPercent: cpuPercent(s),
          memoryBytes: s.memory_stats?.usage ?? 0,
          memoryLimitBytes: s.memory_stats?.limit ?? 0,
          netRxBytes: nets.reduce((n, x) => n + (x.rx_bytes ?? 0), 0),
          netTxBytes: nets.reduce((n, x) => n + (x.tx_bytes ?? 0), 0),
        };
      }),
    );
    return { at: new Date().toISOString(), stats };
  },
};
