// On PostgreSQL, the changes other panel processes (and the CLI) write are heard through
// LISTEN on a connection of its own, opened with the first request that needs it. While it is
// not listening (not yet, or lost and reconnecting) nothing may be served from the cache.
import pg from "pg";
import { ACTORS_CHANNEL } from "./actor-changes.ts";

export interface ChangeListener {
  /** whether every change written from now on will be heard */
  listening(): boolean;
  /** settles once listening (or at once when it cannot be) */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `heard` receives each change's token, and "" when (re)starting to listen: changes may
 * have been missed before, so everything cached is dropped then.
 */
export function listenForChanges(
  url: string | undefined,
  heard: (token: string) => void,
): ChangeListener {
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let started: Promise<void> = Promise.resolve();

  const connect = () => {
    if (client || closed || !url) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on("notification", (n) => heard(n.payload ?? ""));
    const lost = () => {
      if (client !== c) return;
      client = null;
      listening = false;
      c.end().catch(() => {});
      if (!closed) setTimeout(connect, 1_000).unref();
    };
    c.on("error", lost);
    c.on("end", lost);
    started = c
      .connect()
      .then(() => c.query(`listen ${ACTORS_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        listening = true;
        heard("");
      })
      .catch(lost);
  };

  return {
    listening() {
      connect();
      return listening;
    },
    async ready() {
      connect();
      await started;
    },
    async close() {
      closed = true;
      listening = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
