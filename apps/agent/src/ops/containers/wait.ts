// Waits until a started container is running (and healthy, with a health check). Docker runs
// health checks itself; Podman without systemd (a container, a minimal host) has no timer to
// run them, so on Podman the agent asks for each check (libpod's healthcheck endpoint) at the
// check's own pace. A container that exits, turns unhealthy or is not ready in time fails the
// step with what the engine last said.
import { type OpContext, OpFailure } from "../types.ts";
import { type Engine, expectStatus } from "./engine.ts";

interface State {
  State?: {
    Status?: string;
    Running?: boolean;
    ExitCode?: number;
    Health?: { Status?: string; Log?: { Output?: string; ExitCode?: number }[] | null } | null;
  };
  Config?: { Healthcheck?: { Interval?: number } | null };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => resolve(clearTimeout(t)), { once: true });
  });

export async function waitReady(
  ctx: Pick<OpContext, "signal" | "log">,
  engine: Engine,
  id: string,
  timeoutMs: number,
  health: boolean,
): Promise<void> {
  const path = `/containers/${encodeURIComponent(id)}`;
  const deadline = Date.now() + timeoutMs;
  let lastCheck = 0;
  let last = "";
  while (Date.now() < deadline && !ctx.signal.aborted) {
    const s = expectStatus(
      await engine.call("GET", `${path}/json`),
      "inspect the container",
    ) as State;
    const st = s.State ?? {};
    // Podman's compatible API says "stopped" for a container that exited by itself
    if (st.Status === "exited" || st.Status === "dead" || st.Status === "stopped")
      throw new OpFailure(
        "NOT_RUNNING",
        `the container exited (code ${st.ExitCode ?? "?"}) instead of running`,
      );
    if (!health && st.Running) return;
    const status = st.Health?.Status ?? "";
    if (health && status === "healthy") return;
    const log = st.Health?.Log ?? [];
    last = log.at(-1)?.Output?.trim().slice(0, 300) ?? "";
    if (health && status === "unhealthy")
      throw new OpFailure(
        "UNHEALTHY",
        `the container's health check failed${last ? `: ${last}` : ""}`,
      );
    const intervalMs = Math.max(500, (s.Config?.Healthcheck?.Interval ?? 1e9) / 1e6);
    if (health && engine.kind === "podman" && st.Running && Date.now() - lastCheck >= intervalMs) {
      lastCheck = Date.now();
      await engine.call("GET", `/v4.0.0/libpod${path}/healthcheck`, undefined, 120_000);
      continue;
    }
    await sleep(200, ctx.signal);
  }
  if (ctx.signal.aborted) throw new OpFailure("CANCELLED", "the operation was cancelled");
  throw new OpFailure(
    "UNHEALTHY",
    `the container was not ${health ? "healthy" : "running"} after ${Math.round(timeoutMs / 1000)} s${last ? `: ${last}` : ""}`,
  );
}
