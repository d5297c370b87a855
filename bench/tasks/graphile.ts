// graphile-worker on a fresh database: LISTEN/NOTIFY on (its default), the same concurrency
// and poll interval as the others. "graphile-worker" keeps its other settings at their
// defaults (no local queue, no batched completion, a pool of 10 that its LISTEN client shares
// with the workers); "graphile-worker-tuned" is the configuration of its performance page
// (https://worker.graphile.org/docs/performance): `localQueue: { size: 500 }`,
// `completeJobBatchDelay: 0`, `failJobBatchDelay: 0`, and a pool one larger than the
// concurrency (`maxPoolSize: concurrentJobs + 1`) so the LISTEN client has its own connection.

import { createDatabase } from "@steward/testkit";
import { Logger, makeWorkerUtils, run } from "graphile-worker";
import type { System } from "./harness.ts";

const silent = new Logger(() => () => {});
const CHUNK = 5_000;

export const graphileWorker = (pgUrl: string, tuned: boolean): System => ({
  name: tuned ? "graphile-worker-tuned" : "graphile-worker",
  async open(probe, s) {
    const connectionString = await createDatabase(pgUrl);
    const utils = await makeWorkerUtils({ connectionString, logger: silent });
    await utils.migrate();
    let runner: Awaited<ReturnType<typeof run>> | null = null;
    return {
      async enqueueMany(first, count) {
        for (let i = 0; i < count; i += CHUNK) {
          const n = Math.min(CHUNK, count - i);
          await utils.addJobs(
            Array.from({ length: n }, (_, j) => ({
              identifier: "noop",
              payload: { seq: first + i + j },
            })),
          );
        }
      },
      async startWorkers() {
        runner = await run({
          connectionString,
          concurrency: s.concurrency,
          pollInterval: s.pollMs,
          noHandleSignals: true,
          ...(tuned
            ? {
                maxPoolSize: s.concurrency + 1,
                preset: {
                  worker: {
                    localQueue: { size: 500 },
                    completeJobBatchDelay: 0,
                    failJobBatchDelay: 0,
                  },
                },
              }
            : {}),
          logger: silent,
          taskList: {
            noop: async (payload) => {
              probe.started((payload as { seq: number }).seq);
            },
          },
        });
      },
      async enqueueOne(seq) {
        await utils.addJob("noop", { seq });
      },
      async pending() {
        const { rows } = await utils.withPgClient((c) =>
          c.query<{ n: number }>("select count(*)::int as n from graphile_worker.jobs"),
        );
        return rows[0]?.n ?? 0;
      },
      async stop() {
        await runner?.stop();
        await utils.release();
      },
    };
  },
});
