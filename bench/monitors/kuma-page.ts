// Uptime Kuma's dashboard, timed the way its web page loads it: a Socket.IO connection, a
// login (by token after the first, as a page reload does), then Kuma's `afterLogin` pushes
// `monitorList` (the list shows) and one `heartbeatList` per monitor (the bars show). Kuma has
// no HTTP list to time; these two moments stand for Steward's `GET /api/v1/monitors` and its
// dashboard. The client is Kuma's own `socket.io-client` from its install in .cache/peers (never
// a dependency of the repository); the user is written with Kuma's own bcrypt.
import { createRequire } from "node:module";
import { join } from "node:path";

interface Socket {
  on(event: string, listener: (...args: unknown[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  disconnect(): void;
}
type Connect = (url: string, options: Record<string, unknown>) => Socket;

export const KUMA_USER = "bench";
export const KUMA_PASSWORD = "bench-Passw0rd-42";

/** Kuma's bcrypt hash of the bench user's password, for its `user` table. */
export function kumaPasswordHash(app: string): string {
  const bcrypt = createRequire(join(app, "package.json"))("bcryptjs") as {
    hashSync(p: string, rounds: number): string;
  };
  return bcrypt.hashSync(KUMA_PASSWORD, 10);
}

export interface DashboardLoad {
  /** login sent → `monitorList` received */
  listMs: number;
  /** login sent → a `heartbeatList` received for every monitor */
  fullMs: number;
}

/**
 * One page load. `token` null logs in with the password (Kuma rate-limits that to 20 a
 * minute) and answers the token for the next loads. Gives up after `timeoutMs`.
 */
export function loadDashboard(
  app: string,
  url: string,
  monitors: number,
  token: string | null,
  timeoutMs: number,
): Promise<DashboardLoad & { token: string }> {
  const io = createRequire(join(app, "package.json"))("socket.io-client") as { io: Connect };
  const socket = io.io(url, { transports: ["websocket"], reconnection: false });
  return new Promise((resolve, reject) => {
    let sent = 0;
    let listMs = -1;
    let newToken = token ?? "";
    const seen = new Set<unknown>();
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(
        new Error(`uptime-kuma dashboard: ${seen.size} of ${monitors} lists in ${timeoutMs} ms`),
      );
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      socket.disconnect();
      resolve({ listMs, fullMs: performance.now() - sent, token: newToken });
    };
    socket.on("monitorList", () => {
      if (listMs < 0 && sent) listMs = performance.now() - sent;
    });
    socket.on("heartbeatList", (id) => {
      if (!sent) return;
      seen.add(id);
      if (seen.size >= monitors && listMs >= 0) done();
    });
    const answer = (res: unknown) => {
      const r = res as { ok?: boolean; token?: string; msg?: string };
      if (!r?.ok) {
        clearTimeout(timer);
        socket.disconnect();
        reject(new Error(`uptime-kuma login: ${r?.msg ?? "refused"}`));
      } else if (r.token) newToken = r.token;
    };
    socket.on("connect", () => {
      sent = performance.now();
      if (token) socket.emit("loginByToken", token, answer);
      else
        socket.emit("login", { username: KUMA_USER, password: KUMA_PASSWORD, token: "" }, answer);
    });
    socket.on("connect_error", (e) => {
      clearTimeout(timer);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
