// One Steward worker process of `bench:tasks --processes N`: an engine on the bench's
// PostgreSQL database running the built-in `noop` kind, started and stopped by the parent
// over IPC. Each handler start is reported as [task id, epoch ms] (performance.timeOrigin +
// performance.now(), comparable across processes), gathered per turn of the event loop.
import { performance } from "node:perf_hooks";
import { createEngine, defaultEngineOptions, noopTask, openPostgres } from "@steward/server";
import pino from "pino";

const [url = "", concurrency = "10", pollMs = "500"] = process.argv.slice(2);
const db = openPostgres(url, 10);
const engine = createEngine(db, pino({ level: "silent" }), {
  ...defaultEngineOptions,
  concurrency: Number(concurrency),
  pollMs: Number(pollMs),
  listenUrl: url,
});
const noop = noopTask();
let starts: [string, number][] = [];
const report = () => {
  if (starts.length) process.send?.({ starts });
  starts = [];
};
engine.registry.register({
  ...noop,
  async run(ctx) {
    starts.push([ctx.task.id, performance.timeOrigin + performance.now()]);
    if (starts.length === 1) setImmediate(report);
    return noop.run(ctx);
  },
});

process.on("message", (message) => {
  if (message === "start") {
    engine.startWorker();
    engine.startScheduler();
    process.send?.("started");
  } else if (message === "stop") {
    void engine
      .stop()
      .then(() => db.close())
      .then(() => {
        report();
        process.disconnect();
      });
  }
});
process.send?.("ready");
