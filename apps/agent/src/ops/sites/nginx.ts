// Activating nginx's configuration and knowing that it took: `nginx -s reload` (and
// `systemctl reload`) only signal the master and return at once; the master then re-reads
// its files and starts new workers, or logs an error and keeps the old ones. So the agent
// notes the workers before, and waits until a worker it has not seen appears (new
// configuration live) or the time runs out (it was refused: the operation fails and rolls
// back).
import { readdir, readFile } from "node:fs/promises";
import { isRunning, livePid, reloadService, serviceSpec } from "../../system/service.ts";
import { type OpContext, OpFailure } from "../types.ts";

const LOAD_TIMEOUT_MS = 15_000;

/** nginx's worker processes (children of the master titled "worker process"), from /proc. */
export async function workerPids(master: number): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const entry of await readdir("/proc")) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (!stat) continue;
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ")"
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid !== master) continue;
    const title = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (title.includes("worker process")) out.set(Number(entry), title);
  }
  return out;
}

/**
 * Reloads (or starts) nginx and waits until the new configuration serves: a worker it had
 * not seen runs, and each old worker has exited or is "shutting down" (it has then closed
 * its listening sockets, so every new connection meets the new configuration).
 */
export async function loadNginx(ctx: OpContext): Promise<void> {
  const pidFile = serviceSpec(ctx.config, "nginx").pidFile;
  const master = await livePid(pidFile);
  const before = master === null ? new Set<number>() : new Set((await workerPids(master)).keys());
  await reloadService(ctx, "nginx");
  await ctx.step("wait for nginx to load the new configuration", async () => {
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    for (;;) {
      const now = await livePid(pidFile);
      if (now !== null) {
        const workers = await workerPids(now);
        const fresh = [...workers.keys()].some((w) => !before.has(w));
        const oldLeft = [...before].some(
          (w) => workers.get(w)?.includes("shutting down") === false,
        );
        if (fresh && !oldLeft) return;
      }
      if (Date.now() > deadline)
        throw new OpFailure(
          "NGINX_NOT_RELOADED",
          `nginx did not load the new configuration within ${LOAD_TIMEOUT_MS / 1000} s (see nginx's error log)`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  });
}

/**
 * The undo of an activation: the files are back, so load them again. A service that ran
 * before runs afterwards (PHP-FPM exits when a reload fails), one that did not is not started.
 */
export async function reloadOnRollback(ctx: OpContext, name: "nginx" | "php-fpm") {
  const spec = serviceSpec(ctx.config, name);
  const wasRunning = await isRunning(ctx.config, spec);
  const what = name === "nginx" ? "the previous nginx configuration" : "the previous PHP-FPM pools";
  ctx.onRollback(`load ${what}`, async () => {
    if (!wasRunning && !(await isRunning(ctx.config, spec))) return;
    if (name === "nginx") await loadNginx(ctx);
    else await reloadService(ctx, name);
  });
}
