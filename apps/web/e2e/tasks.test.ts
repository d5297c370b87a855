// Tasks, the dashboard and the audit log in a real browser against a real panel: a task's log
// and progress arriving live over server-sent events, cancelling through the confirmation
// dialog, a schedule refused at its field, list filters in the URL, a failure on the
// dashboard, and the audit trail of it all with its diffs. Every page passes axe.

import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumOrSkip,
  launchChromium,
  newContext,
  type Panel,
  seriousViolations,
  signInUi,
  startPanel,
} from "./harness.ts";

const chromiumPath = chromiumOrSkip();
const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>';

describe.skipIf(!chromiumPath)("tasks, dashboard and audit log in the console", () => {
  let panel: Panel;
  let key: string;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  /** tasks made by the tests, by name */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    panel = await startPanel();
    key = await panel.setupSuper("root@example.com");
    browser = await launchChromium();
    const context = await newContext(browser);
    page = await context.newPage();
    await signInUi(page, panel, "root@example.com");
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  const createTask = async (payload: Record<string, unknown>, enabled = true) => {
    const res = await panel.api("POST", "/api/v1/tasks", {
      key,
      body: { kind: "noop", payload, enabled },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const taskState = async (id: string) =>
    (await panel.api("GET", `/api/v1/tasks/${id}`, { key })).body.state as string;
  const log = () => page.getByRole("log", { name: "Task log" });
  const progress = () => page.getByRole("progressbar", { name: "Task progress" });
  const stateShown = (state: string) => page.getByText(state, { exact: true }).first();
  /** a task's link in a list: rows name what the task does, not its id */
  const rowOf = (table: Locator, id: string | undefined) =>
    table.locator(`a[href="/tasks/${id ?? "-"}"]`);
  const noScriptRan = async () =>
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

  it("shows an empty dashboard with its counts", async () => {
    await page.goto(`${panel.url}/`);
    await expect.poll(() => page.getByText("No failing tasks").isVisible()).toBe(true);
    expect(await page.getByRole("link", { name: /Users/ }).first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("runs a task and follows its log and progress live until it ends", async () => {
    ids.steps = await createTask({ steps: 5, sleepMs: 5_000, message: HOSTILE }, false);
    await page.goto(`${panel.url}/tasks/${ids.steps}`);
    await expect
      .poll(() => page.getByRole("heading", { name: "do nothing (a test task)" }).isVisible())
      .toBe(true);
    expect(await page.getByText("No log lines yet").isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Run now" }).click();
    const samples: { text: string; now: number }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const text = (await log().textContent()) ?? "";
      samples.push({ text, now: Number(await progress().getAttribute("aria-valuenow")) });
      if (text.includes("step 5 of 5") && (await stateShown("succeeded").isVisible())) break;
      await page.waitForTimeout(100);
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
    const payload = page.getByText(/"sleepMs": 5000/);
    expect(await payload.textContent()).toContain("<script>window.pwned=1</script>");
    expect(await payload.locator("img, script").count()).toBe(0);
    await noScriptRan();
  });

  it("cancels a running task through the confirmation dialog", async () => {
    ids.long = await createTask({ steps: 100, sleepMs: 600_000 });
    await page.goto(`${panel.url}/tasks/${ids.long}`);
    await expect.poll(() => stateShown("running").isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
    const dialog = page.getByRole("alertdialog", { name: "Cancel this task?" });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Cancel task" }).click();
    await expect.poll(() => stateShown("cancelled").isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await taskState(ids.long)).toBe("cancelled");
    await expect.poll(() => page.getByText("Log stream: finished").isVisible()).toBe(true);
  });

  it("refuses a bad cron expression at its field, then saves a good schedule", async () => {
    const list = await panel.api("GET", "/api/v1/tasks?kind=logrotate", { key });
    ids.logrotate = list.body.items[0].id;
    await page.goto(`${panel.url}/tasks/${ids.logrotate}`);
    await page.getByRole("button", { name: "Edit schedule" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit schedule" });
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
    expect(await seriousViolations(page)).toEqual([]);
    await cron.fill("0 4 * * *");
    await dialog.getByLabel("Time zone").fill("Europe/Paris");
    await dialog.getByRole("button", { name: "Save schedule" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await page.getByText("0 4 * * * (Europe/Paris)").isVisible()).toBe(true);
  });

  it("filters the task list by state, in the URL", async () => {
    await page.goto(`${panel.url}/tasks`);
    const table = page.getByRole("table", { name: "Tasks" });
    await expect.poll(() => table.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("State").selectOption("cancelled");
    await page.waitForURL(/state=cancelled/);
    await expect.poll(() => table.getByRole("link").count()).toBe(1);
    expect(await rowOf(table, ids.long).isVisible()).toBe(true);
    await page.getByLabel("State").selectOption("succeeded");
    await page.waitForURL(/state=succeeded/);
    await expect.poll(() => rowOf(table, ids.steps).isVisible()).toBe(true);
    expect(await rowOf(table, ids.long).count()).toBe(0);
    // the filter survives a reload, and a row leads to its task
    await page.reload();
    expect(await page.getByLabel("State").inputValue()).toBe("succeeded");
    await table.getByRole("link", { name: /noop/ }).first().click();
    await page.waitForURL(`${panel.url}/tasks/${ids.steps}`);
  });

  it("shows a failed task with its error on the dashboard", async () => {
    // noop cannot fail: its stored payload is made one the kind no longer accepts (as after
    // an upgrade that changed a kind's schema), and the runner fails it for good
    ids.broken = await createTask({ message: "about to break" }, false);
    const db = new DatabaseSync(join(panel.dataDir, "steward.db"));
    try {
      db.exec("PRAGMA busy_timeout = 5000");
      db.prepare("update tasks set payload = ? where id = ?").run(
        JSON.stringify({ sleepMs: HOSTILE }),
        ids.broken,
      );
    } finally {
      db.close();
    }
    expect((await panel.api("POST", `/api/v1/tasks/${ids.broken}/run`, { key })).status).toBe(200);
    await expect.poll(() => taskState(ids.broken ?? ""), { timeout: 15_000 }).toBe("failed");

    await page.goto(`${panel.url}/`);
    const failing = page.getByRole("list", { name: "Failing tasks" });
    await expect.poll(() => failing.isVisible()).toBe(true);
    expect(await failing.getByText(/the payload no longer fits kind noop/).isVisible()).toBe(true);
    const failedCount = page.getByRole("link", { name: /^1\s*failed$/i });
    expect(await failedCount.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await failing.getByRole("link", { name: "noop" }).click();
    await page.waitForURL(`${panel.url}/tasks/${ids.broken}`);
    await expect.poll(() => page.getByText("Last error").isVisible()).toBe(true);
    await noScriptRan();
  });

  it("shows these actions in the audit log, filters by action and opens a diff", async () => {
    await page.goto(`${panel.url}/audit`);
    const table = page.getByRole("table", { name: "Audit events" });
    await expect.poll(() => table.isVisible()).toBe(true);
    for (const action of ["task.create", "task.run", "task.cancel", "task.update"])
      expect([action, await table.getByText(action, { exact: true }).count()]).not.toEqual([
        action,
        0,
      ]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Action").fill("task.update");
    await page.waitForURL(/action=task\.update/);
    await expect.poll(() => table.getByText(/^task\.(create|run|cancel)$/).count()).toBe(0);
    expect(await table.getByText("task.update", { exact: true }).count()).toBeGreaterThan(0);
    const details = table.getByRole("button", { name: /details of task.update/ }).first();
    await details.click();
    expect(await details.getAttribute("aria-expanded")).toBe("true");
    const changes = page.getByRole("table", { name: "Changes of task.update" }).first();
    await expect.poll(() => changes.isVisible()).toBe(true);
    const expression = changes.getByRole("row", { name: /expression/ });
    expect(await expression.textContent()).toContain("0 4 * * *");
    expect(await expression.textContent()).toContain("@daily");
    expect(await seriousViolations(page)).toEqual([]);

    // prefixes match, and the filter stays in the URL
    await page.getByLabel("Action").fill("task.*");
    await page.waitForURL(/action=task\.\*/);
    await expect.poll(() => table.getByText("task.cancel", { exact: true }).count()).toBe(1);
  });
});
