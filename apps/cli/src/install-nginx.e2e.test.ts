// install/nginx-steward.conf in a real nginx (testkit) in front of a real panel: only its
// addresses, ports and certificate paths are changed for this machine. A task's server-sent
// events arrive through it over TLS one by one while the task runs (not buffered to its
// end), plain HTTP is redirected to HTTPS, and a client's forged X-Forwarded-For does not
// reach the panel's audit log (the panel trusts nginx, STEWARD_TRUST_PROXY).
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { collectSse, summary } from "@steward/server/testing/sse-client";
import type { WorkerProcess } from "@steward/server/testing/worker-process";
import {
  dialects,
  freePort,
  localCertificate,
  type NginxServer,
  startNginx,
  testCa,
} from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoop, panelsOnPostgres } from "./testing/panels.ts";

const example = fileURLToPath(new URL("../../../install/nginx-steward.conf", import.meta.url));
const HOST = "panel.example.com";

/** The example with this machine's addresses, ports and files; each change must apply. */
function adapt(
  conf: string,
  o: { upstream: number; listen: string; http: number; https: number; cert: string; key: string },
) {
  const changes: [RegExp, string][] = [
    [/server 127\.0\.0\.1:8080 /, `server 127.0.0.1:${o.upstream} `],
    [/listen 80;/, `listen ${o.listen}:${o.http};`],
    [/listen 443 ssl http2;/, `listen ${o.listen}:${o.https} ssl http2;`],
    [/\n\s*listen \[::\]:80;/, ""],
    [/\n\s*listen \[::\]:443 ssl http2;/, ""],
    [/ssl_certificate \S+;/, `ssl_certificate ${o.cert};`],
    [/ssl_certificate_key \S+;/, `ssl_certificate_key ${o.key};`],
  ];
  let out = conf;
  for (const [from, to] of changes) {
    expect(out, `the example has ${from}`).toMatch(from);
    out = out.replace(from, to);
  }
  return out;
}

describe.skipIf(!dialects().includes("postgres"))(
  "nginx in front of the panel (install/nginx-steward.conf)",
  () => {
    let panels: Awaited<ReturnType<typeof panelsOnPostgres>>;
    let panel: WorkerProcess;
    let nginx: NginxServer | null;
    let ca = "";
    const ports = { http: 0, https: 0 };

    beforeAll(async () => {
      panels = await panelsOnPostgres();
      panel = await panels.pool.start("all", { STEWARD_TRUST_PROXY: "127.0.0.1" });
      nginx = await startNginx({ start: false });
      if (!nginx) throw new Error("nginx is missing");
      const authority = await testCa("steward test proxy ca");
      ca = authority.certificate;
      const leaf = await localCertificate(authority, HOST, [HOST, nginx.listen]);
      const [cert, key] = [join(nginx.dir, "panel.crt"), join(nginx.dir, "panel.key")];
      writeFileSync(cert, leaf.cert);
      writeFileSync(key, leaf.key, { mode: 0o600 });
      [ports.http, ports.https] = [await freePort(nginx.listen), await freePort(nginx.listen)];
      const conf = adapt(readFileSync(example, "utf8"), {
        upstream: panel.port,
        listen: nginx.listen,
        ...ports,
        cert,
        key,
      });
      writeFileSync(join(nginx.sitesDir, "steward.conf"), conf);
      await nginx.start();
    }, 120_000);
    afterAll(async () => {
      await nginx?.stop();
      await panels?.close();
    });

    /** A request to nginx's TLS server for the panel's host name, trusting the test CA. */
    function tls(path: string, headers: Record<string, string> = {}, body?: string) {
      return new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
        const req = request(
          {
            host: nginx?.listen,
            port: ports.https,
            servername: HOST,
            path,
            method: body === undefined ? "GET" : "POST",
            ca,
            headers: { host: HOST, authorization: `Bearer ${panels.key}`, ...headers },
          },
          resolve,
        );
        req.on("error", reject);
        req.end(body);
      });
    }

    it("passes a task's events over TLS as they happen", async () => {
      const id = await createNoop(`http://127.0.0.1:${panel.port}`, panels.key, {
        sleepMs: 2_000,
        steps: 4,
      });
      const res = await tls(`/api/v1/tasks/${id}/events`);
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
      const stream = collectSse(res);
      await stream.ended;
      const seen = summary(stream.events);
      expect(seen.at(-1)).toBe("state succeeded");
      const steps = stream.events.filter((e) => e.event === "log");
      expect(steps.map((e) => e.data.message)).toEqual([
        "step 1 of 4",
        "step 2 of 4",
        "step 3 of 4",
        "step 4 of 4",
      ]);
      // unbuffered: the steps (half a second apart in the task) arrived apart, not at once
      const arrivals = new Set(steps.map((e) => e.at));
      expect(arrivals.size).toBeGreaterThan(1);
    }, 60_000);

    it("redirects plain HTTP to HTTPS", async () => {
      const res = await fetch(`http://${nginx?.listen}:${ports.http}/login?x=1`, {
        headers: { host: HOST },
        redirect: "manual",
      });
      expect(res.status).toBe(301);
      expect(res.headers.get("location")).toBe(`https://${HOST}/login?x=1`);
    });

    it("replaces a client's X-Forwarded-For: the panel records nginx's view of the client", async () => {
      const res = await tls(
        "/api/v1/tasks",
        { "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
        JSON.stringify({ kind: "noop", payload: {} }),
      );
      expect(res.statusCode).toBe(201);
      res.resume();
      const audit = await fetch(
        `http://127.0.0.1:${panel.port}/api/v1/audit-events?action=task.create`,
        { headers: { authorization: `Bearer ${panels.key}` } },
      );
      const { items } = (await audit.json()) as { items: { ip: string | null }[] };
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((i) => i.ip)).not.toContain("203.0.113.9");
      expect(new Set(items.map((i) => i.ip))).toEqual(new Set(["127.0.0.1"]));
    });
  },
);
