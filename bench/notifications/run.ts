// `npm run bench:notifications [-- --json] [--events N] [--db sqlite,postgres]`: N (default
// 1,000) `site.failed` events recorded within one second, through two rules of one account to
// two webhook channels: one rule sends each event (its messages must arrive in the outbox's
// order), the other groups them by node (10 nodes, a 5 s window: one digest per node). Steward
// in this process (the test harness: the real engine, dispatcher and webhook sender), a local
// receiver recording each request. Reports whether all arrived, in order, grouped; the time
// from the first event to the last delivery and deliveries per second. Progress on stderr;
// stdout carries the table, or with --json only {"results":[...]}.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { addRule, deliveriesOf, siteFailed } from "@steward/server/testing/dispatch";
import { buildWorld } from "@steward/server/testing/fixtures";
import { startTestServer, type TestServer } from "@steward/server/testing/harness";
import { startPostgres } from "@steward/testkit";
import { loadAverage } from "../monitors/proc.ts";

const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    events: { type: "string", default: "1000" },
    db: { type: "string", default: "sqlite,postgres" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const EVENTS = Number(values.events);
const NODES = 10;
const GROUP_SECONDS = 5;

interface Result {
  system: string;
  events: number;
  /** every event reached the per-event channel, and the digests hold every event once */
  allDelivered: boolean;
  /** the per-event rule's messages arrived in the outbox's order */
  inOrder: boolean;
  /** the per-event rule's deliveries that took more than one attempt (a retry may reorder) */
  retried: number;
  /** the grouping rule's digests: one per node and window */
  digests: number;
  /** how long recording the events took (they are recorded one by one, as producers do) */
  recordSeconds: number;
  timeToLastDeliveryMs: number;
  deliveriesPerSecond: number;
  load: number;
}

/** A webhook receiver: each request's path, subject and arrival time, answered 204. */
async function startReceiver() {
  const got: { path: string; subject: string; text: string; at: number }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      const parsed = JSON.parse(body) as { subject: string; text: string };
      got.push({ path: req.url ?? "", ...parsed, at: performance.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, got, close: () => new Promise((r) => server.close(r)) };
}

async function channel(s: TestServer, key: string, account: string, url: string) {
  const res = await s.request("POST", "/api/v1/notification-channels", {
    key,
    body: {
      name: url,
      account,
      settings: { kind: "webhook", url, secret: "whsec_bench_0123456789" },
    },
  });
  if (res.status !== 201) throw new Error(`channel: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function once(dialect: "sqlite" | "postgres", databaseUrl?: string): Promise<Result> {
  const receiver = await startReceiver();
  const s = await startTestServer(dialect, {
    STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
    ...(databaseUrl ? { STEWARD_DATABASE_URL: databaseUrl } : {}),
  });
  try {
    const w = await buildWorld(s);
    const key = w.keys.accountAdmin;
    const each = await channel(s, key, w.a, `${receiver.url}/each`);
    const grouped = await channel(s, key, w.a, `${receiver.url}/grouped`);
    const perEvent = await addRule(s, w.a, { eventTypes: ["site.failed"] }, [each]);
    const digest = await addRule(s, w.a, { eventTypes: ["site."], groupSeconds: GROUP_SECONDS }, [
      grouped,
    ]);
    s.svc.engine.startWorker();
    s.svc.dispatcher.start();
    say(`steward-${dialect}: ${EVENTS} events within one second`);
    const ids: [string, number][] = [];
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      // paced over one second; as fast as recording goes when it is slower than that
      const due = t0 + (i * 1000) / EVENTS;
      const ahead = due - performance.now();
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
      ids.push([await siteFailed(s, w.a, `n${i}.example.com`, `nod_${i % NODES}`), i]);
    }
    const recordSeconds = (performance.now() - t0) / 1000;
    const path = (p: string) => receiver.got.filter((g) => g.path === p);
    // a digest lists 50 events and counts the rest: how many it holds is on its delivery
    const digestEvents = async () => {
      const sent = (await deliveriesOf(s, "rule_id", digest)).filter((d) => d.state === "sent");
      return sent.reduce((n, d) => n + d.event_count, 0);
    };
    const deadline = Date.now() + 15 * 60_000;
    while (path("/each").length < EVENTS || (await digestEvents()) < EVENTS) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const all = receiver.got;
    const eachRule = (await deliveriesOf(s, "rule_id", perEvent)).filter((d) => d.attempts > 1);
    const last = Math.max(...all.map((g) => g.at));
    const order = path("/each").map((g) => Number(/n(\d+)\.example\.com/.exec(g.subject)?.[1]));
    const expected = ids.sort(([x], [y]) => (x < y ? -1 : 1)).map(([, i]) => i);
    return {
      system: `steward-${dialect}`,
      events: EVENTS,
      allDelivered: order.length === EVENTS && (await digestEvents()) === EVENTS,
      inOrder: JSON.stringify(order) === JSON.stringify(expected),
      retried: eachRule.length,
      digests: path("/grouped").length,
      recordSeconds: Number(recordSeconds.toFixed(2)),
      timeToLastDeliveryMs: Math.round(last - t0),
      deliveriesPerSecond: Number((all.length / ((last - t0) / 1000)).toFixed(1)),
      load: loadAverage(),
    };
  } finally {
    await s.close();
    await receiver.close();
  }
}

async function main() {
  const results: Result[] = [];
  for (const d of (values.db ?? "").split(",")) {
    if (d !== "sqlite" && d !== "postgres")
      throw new Error(`--db takes sqlite and postgres, not ${d}`);
    if (d === "sqlite") results.push(await once(d));
    else {
      const pg = await startPostgres();
      if (!pg) throw new Error("PostgreSQL is missing");
      try {
        results.push(await once(d, await pg.createDatabase()));
      } finally {
        await pg.stop();
      }
    }
    say(JSON.stringify(results.at(-1)));
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
  // one digest per node and window: more windows when recording took longer than one
  const grouped = (r: Result) =>
    r.digests >= NODES && r.digests <= NODES * Math.ceil(r.recordSeconds / GROUP_SECONDS + 1);
  return results.every((r) => r.allDelivered && r.inOrder && grouped(r)) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
