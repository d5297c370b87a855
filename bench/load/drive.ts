// Drives the load generator (bench/load/generate.ts) in a child process of its own, so it
// never shares the panel's event loop (nor the orchestrator's), and measures the CPU the
// serve process used while the load was measured (from its /metrics).
import { spawn } from "node:child_process";
import type { EndpointResult, Plan } from "./generate.ts";
import { cpuSeconds } from "./profile.ts";

export async function drive(plan: Plan): Promise<{ endpoints: EndpointResult[]; cpu: number }> {
  const generator = new URL("./generate.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, [generator, JSON.stringify(plan)]);
  let stdout = "";
  let stderr = "";
  let cpuBefore: Promise<number> | undefined;
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    if (!cpuBefore && stderr.includes("generate: measuring")) cpuBefore = cpuSeconds(plan.url);
  });
  const watchdog = setTimeout(
    () => child.kill("SIGKILL"),
    (plan.warmupSeconds + plan.durationSeconds + 120) * 1000,
  );
  const code = await new Promise((r) => child.once("close", r)); // output read to the end
  clearTimeout(watchdog);
  if (code !== 0 || !cpuBefore) throw new Error(`the load generator failed (${code}):\n${stderr}`);
  const cpu = (await cpuSeconds(plan.url)) - (await cpuBefore);
  const out = JSON.parse(stdout) as { endpoints: EndpointResult[] };
  return { endpoints: out.endpoints, cpu };
}
