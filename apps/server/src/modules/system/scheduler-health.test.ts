// /readyz and /metrics report the task engine's loops: healthy while they tick, 503 and
// steward_scheduler_stalled 1 once the worker has not ticked for STEWARD_SCHEDULER_STALL_SECONDS.
import { dialects } from "@steward/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultTasks } from "../../engine/builtin/install.ts";
import { useServer } from "../../testing/use-server.ts";

/** The value of one sample in Prometheus text, or undefined when there is none. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(dialects())("scheduler health over HTTP on %s", (dialect) => {
  const s = useServer(dialect, { env: { STEWARD_SCHEDULER_STALL_SECONDS: "5" }, perTest: true });
  afterEach(async () => {
    vi.useRealTimers();
  });

  const metrics = async () => (await s.request("GET", "/metrics")).body as string;

  it("reports a process without worker or scheduler as ready", async () => {
    await s.createUser("boss@example.com", { super: true }); // installs the default tasks
    const ready = await s.request("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks.scheduler).toEqual({
      ok: true,
      detail: "this process runs no worker or scheduler (STEWARD_ROLES)",
    });
    const text = await metrics();
    expect(sample(text, "steward_scheduler_stalled")).toBe(0);
    expect(sample(text, "steward_tasks_running")).toBe(0);
    expect(sample(text, "steward_task_runner_last_tick_age_seconds")).toBeUndefined();
    expect(sample(text, "steward_task_scheduler_last_tick_age_seconds")).toBeUndefined();
    expect(text).toContain("# TYPE steward_task_runner_last_tick_age_seconds gauge");
    expect(sample(text, 'steward_tasks{state="queued"}')).toBe(defaultTasks.length);
    expect(sample(text, 'steward_tasks{state="running"}')).toBe(0);
    expect(sample(text, 'steward_tasks{state="succeeded"}')).toBe(0);
  });

  it("turns 503 with steward_scheduler_stalled 1 when the worker stops ticking", async () => {
    const runner = s.svc.engine.startWorker();
    s.svc.engine.startScheduler();
    await expect.poll(() => s.svc.engine.health().schedulerAgeMs).not.toBeNull();
    const ready = await s.request("GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks.scheduler.detail).toMatch(/^worker last ticked \d+\.\d s ago/);
    const healthy = await metrics();
    expect(sample(healthy, "steward_scheduler_stalled")).toBe(0);
    expect(sample(healthy, "steward_task_runner_last_tick_age_seconds")).toBeLessThan(5);
    expect(sample(healthy, "steward_task_scheduler_last_tick_age_seconds")).toBeLessThan(5);

    await runner.stop();
    // six seconds later, as far as the process's clock says
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 6_000);
    const stalled = await s.request("GET", "/readyz");
    expect(stalled.status).toBe(503);
    expect(stalled.body.status).toBe("not ready");
    expect(stalled.body.checks.database).toEqual({ ok: true });
    expect(stalled.body.checks.scheduler).toEqual({
      ok: false,
      detail: expect.stringMatching(/^stalled \(no tick for over 5\.0 s\): worker last ticked 6\./),
    });
    const text = await metrics();
    expect(sample(text, "steward_scheduler_stalled")).toBe(1);
    expect(sample(text, "steward_task_runner_last_tick_age_seconds")).toBeGreaterThan(5);
  });
});
