// Tasks, the dashboard and the audit log in a real browser against a real panel: a task's log
// and progress arriving live over server-sent events, cancelling through the confirmation
// dialog, a schedule refused at its field, list filters in the URL, a failure on the
// dashboard, and the audit trail of it all with its diffs. Every page passes axe.

import type { Locator } from "playwright-core";
import { expect, it } from "vitest";
import { seriousViolations } from "./harness.ts";
import { describeConsole, runSql, useConsole } from "./harness-console.ts";

const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';

describeConsole("tasks, dashboard and audit log in the console", () => {
  const ui = useConsole({ signIn: true, timeout: 120_000 });
  /** tasks made by the tests, by name */
  const ids: Record<string, string> = {};

  const createTask = async (payload: Record<string, unknown>, enabled = true) => {
    const res = await ui.panel.api("POST", "/api/v1/tasks", {
      key: ui.key,
      body: { kind: "noop", payload, enabled },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const taskState = async (id: string) =>
    (await ui.panel.api("GET", `/api/v1/tasks/${id}`, { key: ui.key })).body.state as string;
  const log = () => ui.page.getByRole("log", { name: "Task log" });
  const progress = () => ui.page.getByRole("progressbar", { name: "Task progress" });
  const stateShown = (state: string) => ui.page.getByText(state, { exact: true }).first();
  /** a task's link in a list: rows name what the task does, not its id */
  const rowOf = (table: Locator, id: string | undefined) =>
    table.locator(`a[href="/tasks/${id ?? "-"}"]`);
  const noScriptRan = async () =>
    expect(await ui.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

  it("shows an empty dashboard with its counts", async () => {
    await ui.page.goto(`${ui.panel.url}/`);
    await expect.poll(() => ui.page.getByText("No failing tasks").isVisible()).toBe(true);
    expect(await ui.page.getByRole("link", { name: /Users/ }).first().isVisible()).toBe(true);
    expect(await seriousViolations(ui.page)).toEqual([]);
  });

  it("runs a task and follows its log and progress live until it ends", async () => {
    ids.steps = await createTask({ steps: 5, sleepMs: 5_000, message: HOSTILE }, false);
    await ui.page.goto(`${ui.panel.url}/tasks/${ids.steps}`);
    await expect
      .poll(() => ui.page.getByRole("heading", { name: "do nothing (a test task)" }).isVisible())
      .toBe(true);
    expect(await ui.page.getByText("No log lines yet").isVisible()).toBe(true);
    expect(await seriousViolations(ui.page)).toEqual([]);

    await ui.page.getByRole("button", { name: "Run now" }).click();
    const samples: { text: string; now: number }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const text = (await log().textContent()) ?? "";
      samples.push({ text, now: Number(await progress().getAttribute("aria-valuenow")) });
      if (text.includes("step 5 of 5") && (await stateShown("succeeded").isVisible())) break;
      await ui.page.waitForTimeout(100);
    }
    // lines arrived one by one: a moment with the first step and not the last, progress midway
    expect(
      samples.some((s) => s.text.includes("step 1 of 5") && !s.text.includes("step 5 of 5")),
    ).toBe(true);
    expect(samples.some((s) => s.now > 0 && s.now < 100)).toBe(true);
    const last = samples[samples.length - 1];
    expect(last?.now).toBe(100);
    const order = [1, 2, 3, 4, 5].map((i) => last?.text.indexOf(`step ${i} of 5`) ?? -1);
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0)))).toBe(true);
    expect(await stateShown("succeeded").isVisible()).toBe(true);
    expect(await taskState(ids.steps)).toBe("succeeded");
    // hostile text in the payload and the log is text, never markup
    expect(last?.text).toContain("<script>window.pwned=1</script>");
    expect(await log().locator("img, script").count()).toBe(0);
    const payload = ui.page.getByText(/"sleepMs": 5000/);
    expect(await payload.textContent()).toContain("<script>window.pwned=1</script>");
    expect(await payload.locator("img, script").count()).toBe(0);
    await noScriptRan();
  });

  it("cancels a running task through the confirmation dialog", async () => {
    ids.long = await createTask({ steps: 100, sleepMs: 600_000 });
    await ui.page.goto(`${ui.panel.url}/tasks/${ids.long}`);
    await expect.poll(() => stateShown("running").isVisible(), { timeout: 15_000 }).toBe(true);
    await ui.page.getByRole("button", { name: "Cancel", exact: true }).click();
    const dialog = ui.page.getByRole("alertdialog", { name: "Cancel this task?" });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await seriousViolations(ui.page)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel task" }).click();
    await expect.poll(() => stateShown("cancelled").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await taskState(ids.long)).toBe("cancelled");
    await expect.poll(() => ui.page.getByText("Log stream: finished").isVisible()).toBe(true);
  });

  it("refuses a bad cron expression at its field, then saves a good schedule", async () => {
    const list = await ui.panel.api("GET", "/api/v1/tasks?kind=logrotate", { key: ui.key });
    ids.logrotate = list.body.items[0].id;
    await ui.page.goto(`${ui.panel.url}/tasks/${ids.logrotate}`);
    await ui.page.getByRole("button", { name: "Edit schedule" }).click();
    const dialog = ui.page.getByRole("dialog", { name: "Edit schedule" });
    const cron = dialog.getByLabel("Cron expression");
    await cron.fill("61 * * * *");
    await dialog.getByRole("button", { name: "Save schedule" }).click();
    await expect.poll(() => cron.getAttribute("aria-invalid")).toBe("true");
    const described = await cron.evaluate((el) =>
      (el.getAttribute("aria-describedby") ?? "")
        .split(" ")
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" | "),
    );
    expect(described).toMatch(/\S/);
    expect(await dialog.locator("[data-field-error]").count()).toBe(1);
    expect(await seriousViolations(ui.page)).toEqual([]);
    await cron.fill("0 4 * * *");
    await dialog.getByLabel("Time zone").fill("Europe/Paris");
    await dialog.getByRole("button", { name: "Save schedule" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await ui.page.getByText("0 4 * * * (Europe/Paris)").isVisible()).toBe(true);
  });

  it("filters the task list by state, in the URL", async () => {
    await ui.page.goto(`${ui.panel.url}/tasks`);
    const table = ui.page.getByRole("table", { name: "Tasks" });
    await expect.poll(() => table.isVisible()).toBe(true);
    expect(await seriousViolations(ui.page)).toEqual([]);
    await ui.page.getByLabel("State").selectOption("cancelled");
    await ui.page.waitForURL(/state=cancelled/);
    await expect.poll(() => table.getByRole("link").count()).toBe(1);
    expect(await rowOf(table, ids.long).isVisible()).toBe(true);
    await ui.page.getByLabel("State").selectOption("succeeded");
    await ui.page.waitForURL(/state=succeeded/);
    await expect.poll(() => rowOf(table, ids.steps).isVisible()).toBe(true);
    expect(await rowOf(table, ids.long).count()).toBe(0);
    // the filter survives a reload, and a row leads to its task
    await ui.page.reload();
    expect(await ui.page.getByLabel("State").inputValue()).toBe("succeeded");
    await table.getByRole("link", { name: /noop/ }).first().click();
    await ui.page.waitForURL(`${ui.panel.url}/tasks/${ids.steps}`);
  });

  it("shows a failed task with its error on the dashboard", async () => {
    // noop cannot fail: its stored payload is made one the kind no longer accepts (as after
    // an upgrade that changed a kind's schema), and the runner fails it for good
    ids.broken = await createTask({ message: "about to break" }, false);
    runSql(
      ui.panel,
      "update tasks set payload = ? where id = ?",
      JSON.stringify({ sleepMs: HOSTILE }),
      ids.broken,
    );
    expect(
      (await ui.panel.api("POST", `/api/v1/tasks/${ids.broken}/run`, { key: ui.key })).status,
    ).toBe(200);
    await expect.poll(() => taskState(ids.broken ?? ""), { timeout: 15_000 }).toBe("failed");

    await ui.page.goto(`${ui.panel.url}/`);
    const failing = ui.page.getByRole("list", { name: "Failing tasks" });
    await expect.poll(() => failing.isVisible()).toBe(true);
    expect(await failing.getByText(/the payload no longer fits kind noop/).isVisible()).toBe(true);
    const failedCount = ui.page.getByRole("link", { name: /^1\s*failed$/i });
    expect(await failedCount.isVisible()).toBe(true);
    expect(await seriousViolations(ui.page)).toEqual([]);
    await failing.getByRole("link", { name: "noop" }).click();
    await ui.page.waitForURL(`${ui.panel.url}/tasks/${ids.broken}`);
    await expect.poll(() => ui.page.getByText("Last error").isVisible()).toBe(true);
    await noScriptRan();
  });

  it("shows these actions in the audit log, filters by action and opens a diff", async () => {
    await ui.page.goto(`${ui.panel.url}/audit`);
    const table = ui.page.getByRole("table", { name: "Audit events" });
    await expect.poll(() => table.isVisible()).toBe(true);
    for (const action of ["task.create", "task.run", "task.cancel", "task.update"])
      expect([action, await table.getByText(action, { exact: true }).count()]).not.toEqual([
        action,
        0,
      ]);
    expect(await seriousViolations(ui.page)).toEqual([]);

    await ui.page.getByLabel("Action").fill("task.update");
    await ui.page.waitForURL(/action=task\.update/);
    await expect.poll(() => table.getByText(/^task\.(create|run|cancel)$/).count()).toBe(0);
    expect(await table.getByText("task.update", { exact: true }).count()).toBeGreaterThan(0);
    const details = table.getByRole("button", { name: /details of task.update/ }).first();
    await details.click();
    expect(await details.getAttribute("aria-expanded")).toBe("true");
    const changes = ui.page.getByRole("table", { name: "Changes of task.update" }).first();
    await expect.poll(() => changes.isVisible()).toBe(true);
    const expression = changes.getByRole("row", { name: /expression/ });
    expect(await expression.textContent()).toContain("0 4 * * *");
    expect(await expression.textContent()).toContain("@daily");
    expect(await seriousViolations(ui.page)).toEqual([]);

    // prefixes match, and the filter stays in the URL
    await ui.page.getByLabel("Action").fill("task.*");
    await ui.page.waitForURL(/action=task\.\*/);
    await expect.poll(() => table.getByText("task.cancel", { exact: true }).count()).toBe(1);
  });
});
