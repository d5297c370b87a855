// Admission: at most `limit` requests are worked on at once, the others wait in arrival
// order, and each is let in from setImmediate, so one turn of the event loop starts at most
// a few of them. Without it, a saturated panel runs every ready request in the same turn
// (the database calls are synchronous): a turn lasts as long as the whole backlog, and
// libuv accepts one new connection per turn, so clients that connect during a burst wait
// seconds before their first byte is even read, and the connections served first keep
// being served first. With it, turns stay short (new connections are accepted, timers such
// as lease heartbeats fire on time) and every request waits its turn in one queue.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Gauge, type Registry } from "prom-client";

/** Probes and metrics bypass the queue: a busy panel still answers them at once. */
const BYPASS = /^\/(healthz|readyz|metrics)(\?|$)/;

const BURST = 4;
const state = Symbol("admission");

/** waiting: in the queue; active: holds a slot; done: gave it back, or never needs one */
type Tracked = FastifyRequest & { [state]?: "waiting" | "active" | "done"; closed?: boolean };

export interface Admission {
  /** requests being worked on and waiting, for /metrics */
  stats(): { active: number; waiting: number };
}

export function registerAdmission(app: FastifyInstance, limit: number): Admission {
  let active = 0;
  const waiting: { request: Tracked; resolve: () => void }[] = [];
  let scheduled = false;

  function admitNext() {
    scheduled = false;
    // a few per immediate: their work runs in the microtasks after it, in this turn of the
    // loop; the rest are let in from the next immediate, which runs in the next turn
    for (let n = 0; n < BURST && active < limit; n++) {
      const next = waiting.shift();
      if (!next) return;
      // a client that went away while waiting takes no slot (its answer goes nowhere)
      if (next.request.closed) next.request[state] = "done";
      else {
        next.request[state] = "active";
        active++;
      }
      next.resolve();
    }
    if (waiting.length && active < limit) schedule();
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(admitNext);
  }
  function release(request: Tracked) {
    if (request[state] !== "active") return;
    request[state] = "done";
    active--;
    if (waiting.length) schedule();
  }

  app.addHook("onRequest", async (request: Tracked, reply) => {
    if (BYPASS.test(request.url)) return;
    if (request.raw.socket?.destroyed) request.closed = true;
    // whichever comes first: the answer is ready (onSend), or the connection went away
    reply.raw.once("close", () => {
      request.closed = true;
      release(request);
    });
    if (active < limit && waiting.length === 0) {
      request[state] = "active";
      active++;
      return;
    }
    request[state] = "waiting";
    await new Promise<void>((resolve) => {
      waiting.push({ request, resolve });
      schedule();
    });
  });
  app.addHook("onSend", async (request) => release(request));
  app.decorateRequest("releaseAdmission", function (this: FastifyRequest) {
    release(this);
  });
  return { stats: () => ({ active, waiting: waiting.length }) };
}

/** steward_http_requests_active and steward_http_requests_waiting, read when scraped. */
export function registerAdmissionMetrics(registry: Registry, admission: Admission) {
  new Gauge({
    name: "steward_http_requests_active",
    help: "HTTP requests being worked on (at most the admission limit)",
    registers: [registry],
    collect() {
      this.set(admission.stats().active);
    },
  });
  new Gauge({
    name: "steward_http_requests_waiting",
    help: "HTTP requests waiting for their turn",
    registers: [registry],
    collect() {
      this.set(admission.stats().waiting);
    },
  });
}
