// Ping: ICMP echo through the system's `ping` (iputils), from an argument array, to the address
// the outbound policy allows (resolved once here: ping is never handed a name or anything that
// could read as an option). Its numeric summary is read for loss and round trip; a host where
// ping may not open its socket (no CAP_NET_RAW, no unprivileged ICMP) says so, and is not down.
import { execFile } from "node:child_process";
import type { MonitorOf } from "@steward/contracts/monitors";
import { atAddress } from "./tcp.ts";
import { down, type ProbeDeps, type ProbeResult } from "./types.ts";

const PING = "/usr/bin/ping";
const PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
export const NOT_PERMITTED = "ping not permitted on this host";

/** The argv of one check: numeric, `count` echoes 200 ms apart, within the timeout. */
export function pingArgs(address: string, count: number, timeoutMs: number): string[] {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  return ["-n", "-c", String(count), "-i", "0.2", "-W", seconds, "-w", seconds, "--", address];
}

export interface PingRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const LOSS = /(\d+) packets transmitted, (\d+) received.*?([\d.]+)% packet loss/;
const RTT = /= ([\d.]+)\/([\d.]+)\/([\d.]+)/;
const REFUSED = /Operation not permitted|Permission denied|missing cap_net_raw/i;

/** A finished ping read as a result: loss, average round trip, or why it could not run. */
export function readPing(run: PingRun, s: MonitorOf<"ping">): ProbeResult {
  if (REFUSED.test(run.stderr))
    return { outcome: "degraded", responseMs: null, message: NOT_PERMITTED };
  const loss = LOSS.exec(run.stdout);
  if (!loss) {
    const said = run.stderr
      .trim()
      .split("\n")
      .at(-1)
      ?.replace(/^[^:]*ping: /, "");
    return down(`ping failed (exit ${run.exitCode}): ${said || "no summary"}`);
  }
  const [sent, received, percent] = [Number(loss[1]), Number(loss[2]), loss[3]];
  const avg = RTT.exec(run.stdout)?.[2];
  const ms = avg === undefined ? null : Math.round(Number(avg));
  const said = `${received} of ${sent} replies (${percent}% loss)`;
  if (received === 0) return down(`no reply from ${s.host}: ${said}`);
  const rtt = `${said}, ${avg} ms average`;
  if (received < sent) return { outcome: "degraded", responseMs: ms, message: `${rtt}: loss` };
  if (s.degradedAboveMs !== undefined && Number(avg) > s.degradedAboveMs)
    return { outcome: "degraded", responseMs: ms, message: `${rtt}: slow` };
  return { outcome: "up", responseMs: ms, message: rtt };
}

function run(args: string[], timeoutMs: number): Promise<PingRun> {
  return new Promise((resolve) => {
    const options = { env: { PATH, LC_ALL: "C" }, timeout: timeoutMs + 2000, maxBuffer: 1 << 16 };
    execFile(PING, args, options, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number | string }) | null;
      if (failure?.code === "ENOENT") resolve({ exitCode: 127, stdout, stderr: "ping: not found" });
      else
        resolve({ exitCode: typeof failure?.code === "number" ? failure.code : 0, stdout, stderr });
    });
  });
}

export const probePing = (s: MonitorOf<"ping">, timeoutMs: number, deps: ProbeDeps) =>
  atAddress({ field: "host", host: s.host, port: 1 }, deps, async (address) =>
    readPing(await run(pingArgs(address, s.count, timeoutMs), timeoutMs), s),
  );
