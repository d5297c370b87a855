// Tasks a worker claimed ahead of its free slots, in claim order: one claim takes many tasks
// and the slots take them as they free, instead of one claim per slot. Claimed tasks are
// running in the database (leased by this worker, renewed by its heartbeat), so no other
// worker takes them; the runner puts the unstarted ones back when it stops.
//
// How far ahead to claim follows what this worker gets through: as many tasks as it started
// in the last two windows (100 ms each), at most `size`, claimed again once the queue is down
// to a part of that (`refillAt`: a half with one claim at a time, three quarters with two).
// Quick tasks fill the queue; slow ones (a site's apply) leave it near empty, so a worker
// never sits on work that another idle worker could start.
import type { ClaimedTask } from "./types.ts";

const WINDOW_MS = 100;

export function createLocalQueue(size: number, refillAt = 0.5) {
  const waiting = new Map<string, ClaimedTask>();
  let windowStart = Number.NEGATIVE_INFINITY;
  let current = 0; // tasks started in the window that began at windowStart
  let previous = 0; // in the window before it

  function roll(now: number) {
    const elapsed = now - windowStart;
    if (elapsed >= 2 * WINDOW_MS) {
      previous = 0;
      current = 0;
      windowStart = now;
    } else if (elapsed >= WINDOW_MS) {
      previous = current;
      current = 0;
      windowStart += WINDOW_MS;
    }
  }

  return {
    get size() {
      return waiting.size;
    },
    add(task: ClaimedTask) {
      waiting.set(task.id, task);
    },
    /** the first task in line, out of the queue and counted as started */
    take(now = Date.now()): ClaimedTask | undefined {
      const first = waiting.values().next();
      if (first.done) return undefined;
      waiting.delete(first.value.id);
      roll(now);
      current++;
      return first.value;
    },
    /** a task that will not start here (cancelled, lease lost) */
    remove(id: string): ClaimedTask | undefined {
      const task = waiting.get(id);
      waiting.delete(id);
      return task;
    },
    ids: () => [...waiting.keys()],
    /** every waiting task, out of the queue (the worker stops) */
    drain(): ClaimedTask[] {
      const all = [...waiting.values()];
      waiting.clear();
      return all;
    },
    /**
     * How many tasks to claim ahead now, `asked` being what claims on their way asked for:
     * none until the queue and they are down to `refillAt` of its depth.
     */
    ahead(now = Date.now(), asked = 0): number {
      roll(now);
      const depth = Math.min(size, current + previous);
      const have = waiting.size + asked;
      return have <= depth * refillAt ? depth - have : 0;
    },
  };
}

export type LocalQueue = ReturnType<typeof createLocalQueue>;
