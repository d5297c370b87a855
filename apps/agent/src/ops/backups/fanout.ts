// A tee into every destination at once: each branch is a PassThrough one destination's put
// reads; the writer waits for the slowest live branch (bounded memory), and a branch whose put
// fails is dropped without stopping the others. When every branch has failed, the writer fails.
import { PassThrough, Writable } from "node:stream";
import type { Stored } from "./destination.ts";

export interface Branch {
  id: string;
  put(stream: PassThrough): Promise<Stored>;
}

export interface BranchOutcome {
  id: string;
  /** bytes handed to this destination */
  written: number;
  stored: Stored | null;
  error: string | null;
}

const BRANCH_BUFFER = 1024 * 1024;

export function fanOut(branches: readonly Branch[], onWrite?: (id: string, bytes: number) => void) {
  const live = branches.map((branch) => {
    const stream = new PassThrough({ highWaterMark: BRANCH_BUFFER });
    // the put reports a branch's failure; a write racing it must not crash the process
    stream.on("error", () => undefined);
    const state = { id: branch.id, stream, written: 0, failed: null as string | null };
    // once the put settled its stream is closed (a no-op after a whole read): a tee waiting for
    // it to drain hears "close", with no callback per wait left on the put's promise
    const done = branch.put(stream).then(
      (stored) => {
        stream.destroy();
        return stored;
      },
      (error: Error) => {
        state.failed = error.message || String(error);
        stream.destroy();
        return null;
      },
    );
    return { state, done };
  });
  const alive = () => live.filter((b) => b.state.failed === null && !b.state.stream.destroyed);
  const waitDrain = (branch: (typeof live)[number]) =>
    new Promise<void>((resolve) => {
      const finish = () => {
        branch.state.stream.off("drain", finish);
        branch.state.stream.off("close", finish);
        resolve();
      };
      branch.state.stream.on("drain", finish);
      branch.state.stream.on("close", finish);
    });
  const writer = new Writable({
    highWaterMark: BRANCH_BUFFER,
    write(chunk: Buffer, _enc, callback) {
      const waits: Promise<void>[] = [];
      for (const branch of alive()) {
        branch.state.written += chunk.length;
        onWrite?.(branch.state.id, branch.state.written);
        if (!branch.state.stream.write(chunk)) waits.push(waitDrain(branch));
      }
      const next = () =>
        alive().length > 0 ? callback() : callback(new Error("every destination failed"));
      // no promise per chunk when every branch took it without asking to wait
      if (waits.length === 0) next();
      else Promise.all(waits).then(next);
    },
    final(callback) {
      for (const branch of alive()) branch.state.stream.end();
      callback();
    },
    destroy(error, callback) {
      for (const branch of live)
        if (!branch.state.stream.writableEnded) branch.state.stream.destroy(error ?? undefined);
      callback(error);
    },
  });
  const outcomes = async (): Promise<BranchOutcome[]> =>
    Promise.all(
      live.map(async (branch) => {
        const stored = await branch.done;
        return {
          id: branch.state.id,
          written: branch.state.written,
          stored,
          error: stored ? null : branch.state.failed,
        };
      }),
    );
  return { writer, outcomes };
}
