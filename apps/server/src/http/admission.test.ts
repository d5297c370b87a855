// Admission on a real socket: a burst of requests from another process, on as many
// connections, is worked on at most ADMISSION_LIMIT at a time and every one answered, while
// probes and metrics pass the queue and no slot leaks; open event streams give their slot
// back, so streams cannot lock the panel out. (What it does for latency under load is
// measured by `npm run bench:load`, not asserted here.)
import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { readSse, type SseStream } from "../testing/sse-client.ts";
import { useServer } from "../testing/use-server.ts";
import { ADMISSION_LIMIT } from "./app.ts";

/**
 * N requests at once, each on its own connection, the even ones abandoned by their client
 * after ABANDON_MS (0: none); prints {status: count} of the others.
 */
const BURST = `
const statuses = await Promise.all(Array.from({ length: Number(process.env.N) }, async (_, i) => {
  const abandon = Number(process.env.ABANDON_MS) > 0 && i % 2 === 0;
  try {
    const res = await fetch(process.env.URL, {
      headers: { authorization: "Bearer " + process.env.KEY, connection: "close" },
      signal: abandon ? AbortSignal.timeout(Number(process.env.ABANDON_MS)) : undefined,
    });
    await res.arrayBuffer();
    return abandon ? "abandoned" : res.status;
  } catch (err) {
    if (abandon) return "abandoned";
    throw err;
  }
}));
const count = {};
for (const s of statuses) if (s !== "abandoned") count[s] = (count[s] ?? 0) + 1;
console.log(JSON.stringify(count));
`;

const gauge = (text: string, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? Number.NaN);

describe("admission", () => {
  const s = useServer("sqlite");
  let key: string;
  beforeAll(async () => {
    const admin = await s.createUser("admin@example.com", { super: true });
    key = await s.apiKey(admin.id);
  });

  /**
   * BURST from another process, as from as many clients (a connection each) on the dashboard;
   * resolves with what it printed once it has closed.
   */
  const burst = (n: number, abandonMs: number) => {
    const client = spawn(process.execPath, ["--input-type=module", "-e", BURST], {
      env: {
        ...process.env,
        URL: `${s.url}/api/v1/dashboard`,
        KEY: key,
        N: String(n),
        ABANDON_MS: String(abandonMs),
      },
    });
    let out = "";
    client.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    return new Promise<string>((resolve) => client.once("close", () => resolve(out)));
  };

  it("works on a burst at most ADMISSION_LIMIT at a time, answers all, and lets probes by", async () => {
    let running = true;
    const output = burst(300, 0).finally(() => {
      running = false;
    });
    const seen: { active: number; waiting: number; ready: number }[] = [];
    while (running) {
      const ready = await fetch(`${s.url}/readyz`);
      const text = await (await fetch(`${s.url}/metrics`)).text();
      seen.push({
        active: gauge(text, "steward_http_requests_active"),
        waiting: gauge(text, "steward_http_requests_waiting"),
        ready: ready.status,
      });
    }
    expect(JSON.parse(await output)).toEqual({ 200: 300 });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen.map((x) => x.active))).toBeLessThanOrEqual(ADMISSION_LIMIT);
    // the probe answered throughout; nothing was left holding a slot or waiting
    expect(new Set(seen.map((x) => x.ready))).toEqual(new Set([200]));
    const after = await (await fetch(`${s.url}/metrics`)).text();
    expect([
      gauge(after, "steward_http_requests_active"),
      gauge(after, "steward_http_requests_waiting"),
    ]).toEqual([0, 0]);
  });

  it("does not count open event streams: more streams than slots, and the API still answers", async () => {
    const streams: SseStream[] = [];
    try {
      for (let i = 0; i < ADMISSION_LIMIT + 4; i++) {
        const { task } = await s.svc.engine.enqueue({
          kind: "noop",
          payload: {},
          runAt: Date.now() + 3_600_000,
        });
        const stream = await readSse(`${s.url}/api/v1/tasks/${task.id}/events`, key);
        expect(stream.status).toBe(200);
        streams.push(stream);
      }
      const list = await s.request("GET", "/api/v1/tasks?kind=noop", { key });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(ADMISSION_LIMIT + 4);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("gives back the slots of clients that went away, waiting or being served", async () => {
    for (const abandonMs of [1, 5, 20]) {
      expect(JSON.parse(await burst(200, abandonMs))).toEqual({ 200: 100 });
    }
    await expect
      .poll(async () => {
        const text = await (await fetch(`${s.url}/metrics`)).text();
        return [
          gauge(text, "steward_http_requests_active"),
          gauge(text, "steward_http_requests_waiting"),
        ];
      })
      .toEqual([0, 0]);
    const many = await Promise.all(
      Array.from({ length: ADMISSION_LIMIT * 2 }, () => s.request("GET", "/api/v1/nodes", { key })),
    );
    expect(new Set(many.map((r) => r.status))).toEqual(new Set([200]));
  });
});
