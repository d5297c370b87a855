// LISTEN on PostgreSQL: one connection per process and database URL, shared by everything that
// listens (the task engine's wake-ups and live events, the actor cache's changes, ...). It opens
// with the first subscription and closes with the last; a lost connection is opened again
// while anyone is subscribed. Between losing it and listening again notifications are missed,
// so each subscriber is told when it listens (again) and can catch up then.
import pg from "pg";

export interface Subscription {
  /** whether every notification sent from now on reaches this subscriber */
  listening(): boolean;
  /** settles once listening (or once the attempt failed: it is retried) */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Subscriber {
  channels: readonly string[];
  heard(channel: string, payload: string): void;
  /** called each time it starts listening: what was sent before may have been missed */
  listeningAgain(): void;
  listening: boolean;
}

interface Connection {
  client: pg.Client | null;
  subscribers: Set<Subscriber>;
  started: Promise<void>;
}

const connections = new Map<string, Connection>();

const listenTo = (client: pg.Client, channels: Iterable<string>) =>
  client.query([...new Set(channels)].map((c) => `listen ${pg.escapeIdentifier(c)}`).join("; "));

function connect(url: string, conn: Connection) {
  if (conn.client || conn.subscribers.size === 0) return;
  const c = new pg.Client({ connectionString: url });
  conn.client = c;
  c.on("notification", (n) => {
    for (const s of conn.subscribers)
      if (s.listening && s.channels.includes(n.channel)) s.heard(n.channel, n.payload ?? "");
  });
  const lost = () => {
    if (conn.client !== c) return;
    conn.client = null;
    for (const s of conn.subscribers) s.listening = false;
    c.end().catch(() => {});
    setTimeout(() => connect(url, conn), 1_000).unref();
  };
  c.on("error", lost);
  c.on("end", lost);
  conn.started = c
    .connect()
    .then(() =>
      listenTo(
        c,
        [...conn.subscribers].flatMap((s) => s.channels),
      ),
    )
    .then(() => {
      if (conn.client !== c) return;
      for (const s of conn.subscribers) started(s);
    })
    .catch(lost);
}

function started(s: Subscriber) {
  s.listening = true;
  s.listeningAgain();
}

/** Listens to `channels` on the shared connection for `url`. */
export function subscribe(
  url: string,
  channels: readonly string[],
  heard: Subscriber["heard"],
  listeningAgain: Subscriber["listeningAgain"] = () => {},
): Subscription {
  let conn = connections.get(url);
  if (!conn) {
    conn = { client: null, subscribers: new Set(), started: Promise.resolve() };
    connections.set(url, conn);
  }
  const shared = conn;
  const me: Subscriber = { channels, heard, listeningAgain, listening: false };
  shared.subscribers.add(me);
  let mine: Promise<void>;
  if (shared.client) {
    // already connected (or connecting): listen to this subscriber's channels once it is
    const client = shared.client;
    mine = shared.started
      .then(() => (shared.client === client ? listenTo(client, channels) : undefined))
      .then(() => {
        if (shared.client === client && shared.subscribers.has(me)) started(me);
      })
      .catch(() => {});
  } else {
    connect(url, shared);
    mine = shared.started;
  }
  return {
    listening: () => me.listening,
    ready: () => mine,
    async close() {
      me.listening = false;
      shared.subscribers.delete(me);
      if (shared.subscribers.size > 0) return;
      connections.delete(url);
      const c = shared.client;
      shared.client = null;
      await c?.end().catch(() => {});
    },
  };
}
