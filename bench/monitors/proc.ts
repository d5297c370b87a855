// A process's CPU seconds and resident memory from /proc (Linux), for peers that do not
// report their own: the blackbox exporter, Uptime Kuma, Steward's agent under bench:apps.
import { readFileSync, writeFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** user + system CPU seconds the process has used so far */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // the fields after the command name (which may hold spaces) in parentheses
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** a memory line of /proc/PID/status (kB there), in MB */
function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** resident memory in MB */
export const rssMbOf = (pid: number) => statusMb(pid, "VmRSS");

/** the peak resident memory in MB since the process started or since resetPeakRss (VmHWM) */
export const peakRssMbOf = (pid: number) => statusMb(pid, "VmHWM");

/** starts VmHWM again from the current resident memory (proc(5), clear_refs "5") */
export function resetPeakRss(pid: number) {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

/** the machine's 1-minute load average, said with every figure */
export const loadAverage = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
