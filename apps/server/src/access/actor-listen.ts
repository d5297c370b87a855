// On PostgreSQL, the changes other panel processes (and the CLI) write are heard through
// LISTEN on the process's listening connection (db/pg-listen.ts), subscribed with the first
// request that needs it. While it is not listening (not yet, or lost and reconnecting)
// nothing may be served from the cache.
import { type Subscription, subscribe } from "../db/pg-listen.ts";
import { ACTORS_CHANNEL } from "./actor-changes.ts";

export type ChangeListener = Subscription;

/**
 * `heard` receives each change's token, and "" when (re)starting to listen: changes may
 * have been missed before, so everything cached is dropped then.
 */
export function listenForChanges(
  url: string | undefined,
  heard: (token: string) => void,
): ChangeListener {
  let sub: Subscription | null = null;
  let closed = false;
  const open = () => {
    if (!sub && !closed && url)
      sub = subscribe(
        url,
        [ACTORS_CHANNEL],
        (_channel, token) => heard(token),
        () => heard(""),
      );
    return sub;
  };
  return {
    listening: () => open()?.listening() ?? false,
    ready: async () => {
      await open()?.ready();
    },
    async close() {
      closed = true;
      await sub?.close();
    },
  };
}
