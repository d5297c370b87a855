// TCP: a connection to the checked address and port, closed as soon as it is open.
import { connect } from "node:net";
import type { MonitorOf } from "@steward/contracts/monitors";
import { hostTarget } from "@steward/contracts/net";
import { checkedAddress, OutboundRefused } from "./outbound-http.ts";
import { down, type ProbeDeps, type ProbeResult, reason, since, whoOf } from "./types.ts";

/** The address `host` may be reached at on `port` under the policy (refusals name `field`). */
export async function addressFor(field: string, host: string, port: number, deps: ProbeDeps) {
  const target = hostTarget(host, port);
  if (typeof target === "string") throw new OutboundRefused(field, target);
  return checkedAddress(
    target,
    { ...deps, who: whoOf(deps) },
    (why) => new OutboundRefused(field, why),
  );
}

/** Runs `check` at the address the policy lets `host` be reached at, or answers why not. */
export async function atAddress(
  target: { field: string; host: string; port: number },
  deps: ProbeDeps,
  check: (address: string) => Promise<ProbeResult>,
): Promise<ProbeResult> {
  let address: string;
  try {
    address = await addressFor(target.field, target.host, target.port, deps);
  } catch (error) {
    return down(reason(error));
  }
  return check(address);
}

export const probeTcp = (s: MonitorOf<"tcp">, timeoutMs: number, deps: ProbeDeps) =>
  atAddress({ field: "host", ...s }, deps, (address) => connectTo(address, s.port, timeoutMs));

function connectTo(address: string, port: number, timeoutMs: number) {
  const started = performance.now();
  return new Promise<ProbeResult>((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs });
    const end = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("connect", () =>
      end({ outcome: "up", responseMs: since(started), message: `port ${port} is open` }),
    );
    socket.once("timeout", () => end(down(`no connection within ${timeoutMs} ms`)));
    socket.once("error", (error) => end(down(reason(error))));
  });
}
