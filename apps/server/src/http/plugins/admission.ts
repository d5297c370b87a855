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

const released = Symbol("admission released");
const BURST = 4;

export interface Admission {
  /** requests being worked on and waiting, for /metrics */
  stats(): { active: number; waiting: number };
}

export function registerAdmission(app: FastifyInstance, limit: number): Admission {
  let active = 0;
  const waiting: (() => void)[] = [];
  let scheduled = false;

  function admitNext() {
    scheduled = false;
    // a few per immediate: their work runs in the microtasks after it, in this turn of the
    // loop; the rest are let in from the next immediate, which runs in the next turn
    for (let n = 0; n < BURST && active < limit; n++) {
      const next = waiting.shift();
      if (!next) return;
      active++;
      next();
    }
    if (waiting.length && active < limit) schedule();
  }
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(admitNext);
  }
  function release(request: FastifyRequest) {
    const r = request as FastifyRequest & { [released]?: boolean };
    if (r[released] !== false) return; // not admitted, or released already
    r[released] = true;
    active--;
    if (waiting.length) schedule();
  }

  app.addHook("onRequest", async (request, reply) => {
    if (BYPASS.test(request.url)) return;
    if (active >= limit || waiting.length) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        schedule();
      });
    } else {
      active++;
    }
    (request as FastifyRequest & { [released]?: boolean })[released] = false;
    // whichever comes first: the answer is ready, or the connection went away
    reply.raw.once("close", () => release(request));
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
