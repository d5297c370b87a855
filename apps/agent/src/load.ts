// How busy the machine is, cheap enough for every health answer: the load averages, CPU busy
// since the previous call (from the kernel's per-CPU times), memory and the root file system.
import { statfs } from "node:fs/promises";
import { availableParallelism, cpus, loadavg } from "node:os";
import type { NodeLoad } from "@steward/contracts/agent";
import { meminfo } from "./facts.ts";

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

/** Keeps the previous CPU times, so each reading covers the time since the last one. */
export class LoadReader {
  #last: CpuTimes = { busy: 0, total: 0 };

  async read(): Promise<NodeLoad> {
    const now = cpuTimes();
    const total = now.total - this.#last.total;
    const cpuPercent = total > 0 ? ((now.busy - this.#last.busy) / total) * 100 : 0;
    this.#last = now;
    const [one = 0, five = 0, fifteen = 0] = loadavg();
    const root = await statfs("/");
    return {
      load: [one, five, fifteen],
      cpus: availableParallelism(),
      cpuPercent: Math.min(100, Math.max(0, Math.round(cpuPercent * 10) / 10)),
      memory: await meminfo(),
      disk: { totalBytes: root.blocks * root.bsize, availableBytes: root.bavail * root.bsize },
    };
  }
}
