// Runs the load generator (bench/load/generate.ts) in a child process of its own, with a
// watchdog: its run's length plus two minutes. Shared by bench:load and bench:api.
import { spawn } from "node:child_process";
import type { EndpointResult, Plan } from "./generate.ts";
import { cpuSeconds } from "./profile.ts";

/** The generator's results; `onLine` sees each line of its progress (stderr) as it comes. */
export async function drive(
  plan: Plan,
  onLine: (line: string) => void = () => {},
): Promise<EndpointResult[]> {
  const generator = new URL("./generate.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [generator, JSON.stringify(plan)]);
  const orphan = () => child.kill("SIGKILL"); // this process ends first: no load left behind
  process.once("exit", orphan);
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    const lines = (stderr.slice(stderr.lastIndexOf("\n") + 1) + d).split("\n").slice(0, -1);
    stderr += d;
    for (const line of lines) onLine(line);
  });
  const rounds = plan.sequential ? plan.endpoints.length : 1;
  const settling = plan.settle ? 3 * plan.timeoutSeconds : 0;
  const seconds =
    (plan.warmupSeconds + plan.durationSeconds + plan.timeoutSeconds + settling) * rounds;
  const watchdog = setTimeout(() => child.kill("SIGKILL"), (seconds + 120) * 1000);
  const code = await new Promise((r) => child.once("close", r)); // output read to the end
  clearTimeout(watchdog);
  process.off("exit", orphan);
  if (code !== 0) throw new Error(`the load generator failed (${code}):\n${stderr}`);
  return (JSON.parse(stdout) as { endpoints: EndpointResult[] }).endpoints;
}

/** `drive`, and the CPU seconds the serve process used while the load was measured. */
export async function driveMeasuringCpu(
  plan: Plan,
): Promise<{ endpoints: EndpointResult[]; cpu: number }> {
  let cpuBefore: Promise<number> | undefined;
  const endpoints = await drive(plan, (line) => {
    if (!cpuBefore && line.includes("generate: measuring")) cpuBefore = cpuSeconds(plan.url);
  });
  if (!cpuBefore) throw new Error("the load generator never started measuring");
  return { endpoints, cpu: (await cpuSeconds(plan.url)) - (await cpuBefore) };
}
