// A plain HTTP GET with a chosen Host header (fetch treats Host as forbidden and drops it),
// to ask a web server for one of its virtual hosts by address and port.
import { request } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpGet(o: {
  address: string;
  port: number;
  host: string;
  path?: string;
  timeoutMs?: number;
  /** more request headers (authorization...) */
  headers?: Record<string, string>;
}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: o.address,
        port: o.port,
        path: o.path ?? "/",
        headers: { ...o.headers, host: o.host, connection: "close" },
        timeout: o.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer from ${o.address}:${o.port}`)));
    req.on("error", reject);
    req.end();
  });
}
