// Locks by name, in this agent's process (one agent per node, so: per node). Two uses:
//   - the site id: operations on the same site run one after another (the panel already
//     serializes them; this holds even if two requests slip through), ops-route.ts;
//   - the services an operation declares (`services: ["nginx", "php-fpm"]`): whatever is
//     tested and reloaded as a whole is held by one operation from its first phase to the
//     end of verify, and again for a rollback (framework.ts).
// Deadlock-free by construction: an operation takes its site key first, then all of its
// service locks at once in one fixed order (sorted by name), and never takes another lock
// while holding service locks.
import { OpFailure } from "./types.ts";

export class KeyedLock {
  /** a key is held while it has an entry; the entry lists who waits, first come first */
  private queues = new Map<string, Array<() => void>>();

  /** Waits for the key; resolves to its release (idempotent). Rejects when `signal` aborts first. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const waiters = this.queues.get(key);
    if (!waiters) {
      this.queues.set(key, []);
      return Promise.resolve(this.releaser(key));
    }
    if (signal?.aborted) return Promise.reject(aborted());
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.releaser(key));
      };
      const onAbort = () => {
        const i = waiters.indexOf(grant);
        if (i >= 0) waiters.splice(i, 1);
        reject(aborted());
      };
      waiters.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Takes every key, in sorted order, and returns one release for all of them. When waiting
   * is aborted, the keys already taken are released again.
   */
  async acquireAll(keys: readonly string[], signal?: AbortSignal): Promise<() => void> {
    const releases: (() => void)[] = [];
    const all = () => {
      for (const r of releases.splice(0).reverse()) r();
    };
    try {
      for (const key of [...new Set(keys)].sort()) releases.push(await this.acquire(key, signal));
    } catch (e) {
      all();
      throw e;
    }
    return all;
  }

  async run<T>(key: string | undefined, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (key === undefined) return fn();
    const release = await this.acquire(key, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Is the key held now (for tests and metrics). */
  held(key: string): boolean {
    return this.queues.has(key);
  }

  private releaser(key: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queues.get(key)?.shift();
      if (next) next();
      else this.queues.delete(key);
    };
  }
}

/** Thrown to a waiter whose operation was cancelled before it got the lock. */
export class LockWaitAborted extends Error {
  constructor() {
    super("the operation was cancelled while it waited for another operation on this node");
  }
}

const aborted = () => new LockWaitAborted();

/**
 * An operation's hold on its services: `hold` takes them all unless held (reporting a wait
 * through onWait, whose callback gets the outcome and the time waited), `release` lets go.
 */
export function holder(
  services: readonly string[],
  locks: KeyedLock,
  onWait: (names: string) => (ok: boolean, durationMs: number) => void,
) {
  let release: (() => void) | null = null;
  return {
    async hold(signal?: AbortSignal) {
      if (release || services.length === 0) return;
      if (!services.some((s) => locks.held(s))) {
        release = await locks.acquireAll(services, signal);
        return;
      }
      const done = onWait([...new Set(services)].sort().join(", "));
      const started = performance.now();
      const took = () => Math.round(performance.now() - started);
      try {
        release = await locks.acquireAll(services, signal);
      } catch (e) {
        done(false, took());
        if (e instanceof LockWaitAborted) throw new OpFailure("CANCELLED", e.message);
        throw e;
      }
      done(true, took());
    },
    release() {
      release?.();
      release = null;
    },
  };
}

/** The services' locks of this agent (one process per node): shared by every operation. */
export const nodeServices = new KeyedLock();

/** The key of an operation's input: its `id` when it has one. */
export function lockKey(input: unknown): string | undefined {
  if (typeof input === "object" && input !== null && "id" in input) {
    const id = (input as { id: unknown }).id;
    if (typeof id === "string") return id;
  }
  return undefined;
}
