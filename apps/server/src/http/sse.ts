// Server-sent events on a reply Fastify hands over: the headers, events, heartbeat comments
// that keep proxies from closing an idle stream, and one cleanup whichever side ends it.
import type { OutgoingHttpHeaders } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface Sse {
  send(event: string, data: unknown, id?: string): void;
  readonly closed: boolean;
  /** ends the stream; the cleanups run once */
  close(): void;
  onClose(fn: () => void): void;
}

export function openSse(request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): Sse {
  request.releaseAdmission?.(); // a stream stays open for minutes: it must not hold a slot
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    // what the hooks set (the security headers), under the stream's own
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    // one stream per connection: when it ends, so does the connection (no idle keep-alive
    // socket holding a shutdown)
    connection: "close",
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });
  const cleanups: (() => void)[] = [];
  let closed = false;
  const write = (text: string) => {
    if (!closed) res.write(text);
  };
  const beat = setInterval(() => write(": heartbeat\n\n"), heartbeatMs);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(beat);
    for (const fn of cleanups.splice(0)) fn();
    if (!res.writableEnded) res.end();
  };
  res.on("close", close);
  res.on("error", close);
  write(": stream open\n\n");
  return {
    send(event, data, id) {
      // JSON has no raw newlines, so one data line carries the whole event
      write(`event: ${event}\n${id ? `id: ${id}\n` : ""}data: ${JSON.stringify(data)}\n\n`);
    },
    get closed() {
      return closed;
    },
    close,
    onClose: (fn) => {
      if (closed) fn();
      else cleanups.push(fn);
    },
  };
}

/** Streams of one app, ended when it shuts down (an open stream would hold the close). */
export function sseHub(app: FastifyInstance, heartbeatMs: number) {
  const streams = new Set<Sse>();
  app.addHook("preClose", async () => {
    for (const sse of streams) sse.close();
  });
  return {
    open(request: FastifyRequest, reply: FastifyReply): Sse {
      const sse = openSse(request, reply, heartbeatMs);
      streams.add(sse);
      sse.onClose(() => streams.delete(sse));
      return sse;
    },
  };
}
