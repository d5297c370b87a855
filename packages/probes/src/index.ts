// One check of a monitor, by kind (docs/monitors.md): never throws, always a result.
import type { MonitorSettings } from "@steward/contracts/monitors";
import { probeDns } from "./dns.ts";
import { probeHeartbeat } from "./heartbeat.ts";
import { probeHttp } from "./http.ts";
import { probePing } from "./ping.ts";
import { probeRdap } from "./rdap.ts";
import { probeTcp } from "./tcp.ts";
import { probeTls } from "./tls.ts";
import { down, type ProbeDeps, type ProbeInput, type ProbeResult, reason } from "./types.ts";

export type { ProbeDeps, ProbeInput, ProbeResult } from "./types.ts";

export async function runProbe(
  settings: MonitorSettings,
  input: ProbeInput,
  deps: ProbeDeps,
): Promise<ProbeResult> {
  try {
    switch (settings.kind) {
      case "http":
        return await probeHttp(settings, input.timeoutMs, deps);
      case "tcp":
        return await probeTcp(settings, input.timeoutMs, deps);
      case "dns":
        return await probeDns(settings, input.timeoutMs, deps);
      case "tls":
        return await probeTls(settings, input.timeoutMs, deps);
      case "heartbeat":
        return probeHeartbeat(settings, input, deps.now?.() ?? Date.now());
      case "ping":
        return await probePing(settings, input.timeoutMs, deps);
      case "rdap":
        return await probeRdap(settings, input.timeoutMs, deps);
    }
  } catch (error) {
    return down(reason(error));
  }
}
