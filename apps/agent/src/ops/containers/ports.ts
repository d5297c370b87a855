// Host ports for an app's published ports: a port is free when no host process listens on it
// (we bind it for a moment, on every address, the protocol's way) and no other container
// binds it — running or stopped (a stopped container takes its port back when it starts).
// The engine's list shows a running container's bound ports; only the others' HostConfig is
// read (an inspect each): a node running 200 apps answers in one list, not 200 inspects.
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { OpFailure } from "../types.ts";
import { type Engine, expectStatus } from "./engine.ts";
import type { ListedContainer } from "./list.ts";

interface Inspected {
  HostConfig?: { PortBindings?: Record<string, { HostPort?: string }[] | null> | null };
}

/** "8080/tcp" -> host ports bound by the engine's containers (`listed`: all of them). */
export async function containerBindings(
  engine: Engine,
  listed: readonly ListedContainer[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const c of listed) {
    if (c.State === "running") {
      for (const p of c.Ports ?? [])
        if (p.PublicPort) taken.add(`${p.PublicPort}/${p.Type === "udp" ? "udp" : "tcp"}`);
      continue;
    }
    const a = await engine.call("GET", `/containers/${encodeURIComponent(c.Id)}/json`);
    if (a.status === 404) continue; // removed meanwhile
    const inspected = expectStatus(a, "inspect a container") as Inspected;
    for (const [key, bindings] of Object.entries(inspected.HostConfig?.PortBindings ?? {})) {
      const protocol = key.split("/")[1] ?? "tcp";
      for (const b of bindings ?? []) if (b.HostPort) taken.add(`${b.HostPort}/${protocol}`);
    }
  }
  return taken;
}

export function hostPortFree(port: number, protocol: "tcp" | "udp"): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === "udp") {
      const s = createSocket("udp4");
      s.once("error", () => resolve(false));
      s.bind(port, "0.0.0.0", () => s.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once("error", () => resolve(false));
    // all addresses (IPv6 dual-stack covers IPv4): a listener on any of them takes the port
    server.listen({ port, host: "::", ipv6Only: false, exclusive: true }, () =>
      server.close(() => resolve(true)),
    );
  });
}

export interface PortChoice {
  container: number;
  host?: number | undefined;
  protocol: "tcp" | "udp";
}

/**
 * Fills in every missing host port (the first free one of the range, after a random start so
 * two nodes' apps do not queue on the same ports) and checks the ones asked for; `listed`:
 * the engine's containers, as the deploy read them for its name.
 */
export async function choosePorts(
  engine: Engine,
  listed: readonly ListedContainer[],
  ports: readonly PortChoice[],
  range: readonly [number, number],
): Promise<{ container: number; host: number; protocol: "tcp" | "udp" }[]> {
  if (ports.length === 0) return [];
  const taken = await containerBindings(engine, listed);
  const chosen: { container: number; host: number; protocol: "tcp" | "udp" }[] = [];
  const mine = new Set<string>();
  const free = async (port: number, protocol: "tcp" | "udp") =>
    !taken.has(`${port}/${protocol}`) &&
    !mine.has(`${port}/${protocol}`) &&
    (await hostPortFree(port, protocol));
  for (const p of ports) {
    if (p.host !== undefined) {
      if (!(await free(p.host, p.protocol)))
        throw new OpFailure(
          "PORT_TAKEN",
          `host port ${p.host}/${p.protocol} is in use (by a process of the node or another container)`,
        );
      chosen.push({ container: p.container, host: p.host, protocol: p.protocol });
      mine.add(`${p.host}/${p.protocol}`);
      continue;
    }
    const [low, high] = range;
    const span = high - low + 1;
    const start = Math.floor(Math.random() * span);
    let found: number | null = null;
    for (let i = 0; i < span && found === null; i++) {
      const port = low + ((start + i) % span);
      if (await free(port, p.protocol)) found = port;
    }
    if (found === null)
      throw new OpFailure("PORT_TAKEN", `no free host port between ${low} and ${high}`);
    chosen.push({ container: p.container, host: found, protocol: p.protocol });
    mine.add(`${found}/${p.protocol}`);
  }
  return chosen;
}
