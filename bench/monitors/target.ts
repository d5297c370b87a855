// The monitored web: one local HTTP server with a path per monitor. Most answer 200 at once,
// some are slow (answer after `slowMs`), some are down (503). Which is which follows the
// monitor's number, so every system probes the same mix.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type TargetKind = "ok" | "slow" | "down";

/** 1 in 20 slow, 1 in 20 down, the rest fine */
export const kindOf = (i: number): TargetKind =>
  i % 20 === 7 ? "slow" : i % 20 === 13 ? "down" : "ok";

export interface Target {
  base: string;
  /** the URL of monitor `i` */
  url(i: number): string;
  /** requests answered so far */
  served(): number;
  close(): Promise<void>;
}

export async function startTarget(slowMs = 1500): Promise<Target> {
  let served = 0;
  const server: Server = createServer((req, res) => {
    served++;
    const kind = req.url?.split("/")[1];
    if (kind === "down") res.writeHead(503).end("down");
    else if (kind === "slow") setTimeout(() => res.writeHead(200).end("slow"), slowMs);
    else res.writeHead(200).end("ok");
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (i) => `${base}/${kindOf(i)}/${i}`,
    served: () => served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
