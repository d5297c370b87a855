// pg-boss on a fresh database: LISTEN/NOTIFY on (opt-in there: the instance's
// useListenNotify and the queue's notify), `concurrency` local workers fetching and
// completing one job at a time like the others, the same poll interval. A worker whose
// fetch found a job waits out the poll interval before the next fetch unless pg-boss is in
// "burst" mode, which it enters when its cached count of ready jobs exceeds
// burstWhenReadyExceeds: so that count is refreshed every second (not every minute) and
// the workers start once it has seen the backlog. Other settings are pg-boss's defaults.
// "pg-boss-tuned" is its batched configuration (https://timgit.github.io/pg-boss/#/./api/workers):
// one worker fetching and settling `concurrency` jobs at a time (`batchSize`), fetching again at
// once while batches come back full (`burstWhenBatchFull`), each job settled with its own outcome
// (`perJobResults`), so the jobs in flight are as many as the others'.

import { createDatabase } from "@steward/testkit";
import pg from "pg";
import { PgBoss } from "pg-boss";
import type { System } from "./harness.ts";

const QUEUE = "noop";
const CHUNK = 5_000;
const STATS_SETTLE_MS = 3_000; // a few rounds of the 1 s queue statistics

export const pgBoss = (pgUrl: string, tuned: boolean, say: (m: string) => void): System => ({
  name: tuned ? "pg-boss-tuned" : "pg-boss",
  async open(probe, s) {
    const connectionString = await createDatabase(pgUrl);
    const boss = new PgBoss({
      connectionString,
      max: 10,
      useListenNotify: true,
      monitorIntervalSeconds: 1,
      superviseIntervalSeconds: 1,
      queueCacheIntervalSeconds: 1,
    });
    boss.on("error", (err) => say(`pg-boss: ${err.message}`));
    await boss.start();
    await boss.createQueue(QUEUE, { notify: true });
    const counter = new pg.Pool({ connectionString, max: 1 });
    const pollSeconds = Math.max(0.5, s.pollMs / 1000); // pg-boss refuses less than 0.5 s
    return {
      async enqueueMany(first, count) {
        for (let i = 0; i < count; i += CHUNK) {
          const n = Math.min(CHUNK, count - i);
          await boss.insert(
            QUEUE,
            Array.from({ length: n }, (_, j) => ({ data: { seq: first + i + j } })),
          );
        }
      },
      async startWorkers() {
        await new Promise((r) => setTimeout(r, STATS_SETTLE_MS));
        if (tuned) {
          await boss.work<{ seq: number }>(
            QUEUE,
            {
              localConcurrency: 1,
              batchSize: s.concurrency,
              burstWhenBatchFull: true,
              burstWhenReadyExceeds: 1,
              perJobResults: true,
              pollingIntervalSeconds: pollSeconds,
              notifyPollingIntervalSeconds: pollSeconds,
            },
            async (jobs) =>
              jobs.map((job) => {
                probe.started(job.data.seq);
                return { id: job.id, status: "completed" as const };
              }),
          );
          return;
        }
        await boss.work<{ seq: number }>(
          QUEUE,
          {
            localConcurrency: s.concurrency,
            batchSize: 1,
            burstWhenReadyExceeds: 1,
            pollingIntervalSeconds: pollSeconds,
            notifyPollingIntervalSeconds: pollSeconds,
          },
          async (jobs) => {
            for (const job of jobs) probe.started(job.data.seq);
          },
        );
      },
      async enqueueOne(seq) {
        await boss.send(QUEUE, { seq });
      },
      async pending() {
        const { rows } = await counter.query<{ n: number }>(
          "select count(*)::int as n from pgboss.job where name = $1 and state < 'completed'",
          [QUEUE],
        );
        return rows[0]?.n ?? 0;
      },
      async stop() {
        await boss.stop({ graceful: true, timeout: 10_000 });
        await counter.end();
      },
    };
  },
});
