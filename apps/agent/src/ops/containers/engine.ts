// The Docker Engine API over the node's unix socket (Docker, or Podman's compatible service),
// with node:http and nothing else: dockerode's install runs node-gyp (ssh2's optional
// bindings), which docs/dependencies.md excludes. Requests and answers are JSON; a refusal is
// an OpFailure quoting the engine's message (never a shell, never the caller's strings in a
// path without encodeURIComponent).
import { request } from "node:http";
import type { Readable } from "node:stream";
import type { AgentConfig } from "../../config.ts";
import { OpFailure } from "../types.ts";

export interface EngineAnswer {
  status: number;
  body: unknown;
}

export interface Engine {
  kind: "docker" | "podman";
  /** JSON call; 4xx/5xx answers are returned, not thrown (callers decide what a 404 means) */
  call(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<EngineAnswer>;
  /** the raw answer (logs: a multiplexed byte stream) */
  raw(path: string, timeoutMs?: number): Promise<{ status: number; data: Buffer }>;
  /**
   * POSTs a byte stream (a build context's tar) and hands each line of the answer to
   * `onLine` as it comes (the engine's progress, NDJSON); answers the status.
   */
  stream(
    path: string,
    body: Readable,
    contentType: string,
    onLine: (line: string) => void,
    timeoutMs: number,
  ): Promise<number>;
}

const MAX_ANSWER = 64 * 1024 * 1024;

export function engineOf(config: Pick<AgentConfig, "containers">): Engine {
  const socketPath = config.containers.socket;
  const send = (method: string, path: string, body: unknown, timeoutMs: number) =>
    new Promise<{ status: number; data: Buffer }>((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          socketPath,
          method,
          path,
          headers: {
            host: "engine",
            ...(data
              ? { "content-type": "application/json", "content-length": Buffer.byteLength(data) }
              : {}),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (c: Buffer) => {
            size += c.length;
            if (size > MAX_ANSWER) req.destroy(new Error("the engine's answer is too large"));
            else chunks.push(c);
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, data: Buffer.concat(chunks) }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(data);
    }).catch((e: Error) => {
      throw new OpFailure(
        "ENGINE_UNAVAILABLE",
        `the container engine at ${socketPath} did not answer ${method} ${path.split("?")[0]}: ${e.message}`,
      );
    });
  return {
    kind: config.containers.engine,
    async call(method, path, body, timeoutMs = 60_000) {
      const r = await send(method, path, body, timeoutMs);
      const text = r.data.toString("utf8");
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {}
      return { status: r.status, body: parsed };
    },
    raw: (path, timeoutMs = 60_000) => send("GET", path, undefined, timeoutMs),
    stream: (path, body, contentType, onLine, timeoutMs) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            socketPath,
            method: "POST",
            path,
            headers: { host: "engine", "content-type": contentType },
            timeout: timeoutMs,
          },
          (res) => {
            let rest = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => {
              const lines = (rest + c).split("\n");
              rest = lines.pop() ?? "";
              for (const l of lines) if (l.trim()) onLine(l);
              if (rest.length > 1024 * 1024) rest = rest.slice(-1024 * 1024);
            });
            res.on("end", () => {
              if (rest.trim()) onLine(rest);
              resolve(res.statusCode ?? 0);
            });
            res.on("error", reject);
          },
        );
        req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
        req.on("error", reject);
        body.on("error", (e) => req.destroy(e));
        body.pipe(req);
      }).catch((e: Error) => {
        throw new OpFailure(
          "ENGINE_UNAVAILABLE",
          `the container engine at ${socketPath} did not answer POST ${path.split("?")[0]}: ${e.message}`,
        );
      }),
  };
}

/** The engine's own words for a refusal ({"message": ...}), bounded. */
export function engineMessage(a: EngineAnswer): string {
  const m = (a.body as { message?: unknown } | null)?.message;
  const text = typeof m === "string" ? m : typeof a.body === "string" ? a.body : "";
  return text.slice(0, 500) || `HTTP ${a.status}`;
}

/** Throws ENGINE_REFUSED unless the answer's status is one of `ok`. */
export function expectStatus(a: EngineAnswer, what: string, ok: number[] = [200, 201, 204]) {
  if (!ok.includes(a.status))
    throw new OpFailure(
      "ENGINE_REFUSED",
      `${what}: the engine refused (${a.status}): ${engineMessage(a)}`,
    );
  return a.body;
}

export const q = (params: Record<string, string | number | boolean | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.set(k, String(v));
  return s.toString();
};

export const labelFilter = (label: string) =>
  encodeURIComponent(JSON.stringify({ label: [label] }));
