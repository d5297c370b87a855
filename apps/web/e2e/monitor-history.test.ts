// A monitor's page against a real panel: its state and target, uptime over four ranges, the
// response-time chart and 90 days of uptime bars described in words, its recent results; pause
// and resume, check now, delete after a confirmation. Hostile text in its name stays text. The
// page passes axe.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const HOSTILE_NAME = '<img src=x onerror="window.pwned=1"> shop';
const MIN = 60_000;

describeConsole("a monitor's page", { timeout: 120_000 }, () => {
  const ui = useConsole({ signIn: true, timeout: 180_000 });
  const { row, table, axe } = onPage(ui);
  const api = async (method: string, path: string, body?: unknown) =>
    await ui.panel.api(method, path, { key: ui.key, body });

  it("shows its history, pauses, resumes, checks now and deletes it", async () => {
    const made = await api("POST", "/api/v1/monitors", {
      name: HOSTILE_NAME,
      settings: { kind: "heartbeat", graceSeconds: 60 },
      paused: true,
    });
    expect(made.status).toBe(201);
    const id: string = made.body.id;
    const now = Date.now();
    // three checks in the last hour: two up, one down
    for (const [ago, outcome, ms] of [
      [30, "up", 120],
      [20, "down", null],
      [10, "up", 80],
    ] as const)
      runSql(
        ui.panel,
        "insert into monitor_results (monitor_id, at, outcome, response_ms, message) values (?, ?, ?, ?, ?)",
        id,
        now - ago * MIN,
        outcome,
        ms,
        outcome === "down" ? "no report within the interval" : null,
      );

    await ui.page.goto(`${ui.panel.url}/monitors/${id}`);
    await ui.page.getByRole("heading", { name: HOSTILE_NAME }).waitFor();
    const uptime = ui.page.getByText("Uptime, 24 hours").locator("..");
    await uptime.getByText("66.667%").waitFor();
    await ui.page
      .getByRole("img", {
        name: /Response time, last 24 hours: median p50 .*1 period\(s\) with failed checks/,
      })
      .waitFor();
    const bars = ui.page.getByRole("list", { name: "Uptime, last 90 days" });
    // the bars come from their own request: wait for them rather than count what is there yet
    await expect.poll(async () => await bars.getByRole("listitem").count()).toBe(90);
    // today (yesterday too, just after midnight UTC) had checks
    expect(await bars.getByRole("listitem").last().textContent()).toMatch(/% up$/);
    await row("Recent results", "no report within the interval").waitFor();
    expect(await table("Recent results").getByRole("row").count()).toBe(4);
    await axe();

    await ui.page.getByRole("button", { name: "Resume" }).click();
    await ui.page.getByRole("button", { name: "Pause" }).click();
    await ui.page.getByRole("button", { name: "Resume" }).waitFor();
    await ui.page.getByRole("button", { name: "Check now" }).click();
    await ui.page.getByText(/^Checked: (up|down|degraded)/).waitFor();

    await ui.page.getByRole("button", { name: "Delete" }).click();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Delete monitor" }).click();
    await expect.poll(async () => (await api("GET", `/api/v1/monitors/${id}`)).status).toBe(404);
    expect(ui.dialogs).toEqual([]);
    expect(await ui.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  });
});
