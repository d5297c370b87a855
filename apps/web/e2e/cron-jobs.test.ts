// The cron jobs page against a real panel: an account's jobs listed with their schedule in
// words and the user they run as; "New cron job" showing the schedule in words as it is typed
// and refusing a command with `%` by its field; "Run now" opening the run's task with its live
// log; delete asking for the id typed; passing axe. A job with a heartbeat monitor links to it
// and shows a scheduled run the node reported (seeded in the database here: the uid, the exit
// status, the output). The node is trusted but no agent answers
// it, so the jobs stay "pending" and a run fails saying so (the node end to end, output and exit
// status included, is apps/server/src/modules/cron/cron-api.test.ts). Screenshots in
// STEWARD_SHOTS.
import { expect, it } from "vitest";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;

describeConsole("the cron jobs page", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    timeout: 90_000,
    seed: async (run) => {
      const node = await run.panel.api("POST", "/api/v1/nodes", {
        key: run.key,
        body: { name: "web-1", agentUrl: "https://127.0.0.1:1" },
      });
      runSql(run.panel, "update nodes set state = 'trusted' where id = ?", node.body.id);
      const account = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { name: "Shop", slug: "shop" },
      });
      const user = await run.panel.api("POST", "/api/v1/system-users", {
        key: run.key,
        body: { account: account.body.id, node: node.body.id, kind: "main", name: "shop" },
      });
      for (const body of [
        { schedule: "*/5 * * * *", command: "cd ~ && php artisan schedule:run", heartbeat: true },
        {
          schedule: "30 2 * * 1",
          command: "sh ~/bin/weekly-report.sh",
          env: { MAILTO: "ops@example.com" },
        },
      ]) {
        const made = await run.panel.api("POST", "/api/v1/cron-jobs", {
          key: run.key,
          body: { account: account.body.id, systemUser: user.body.id, ...body },
        });
        if (made.status !== 201) throw new Error(JSON.stringify(made.body));
        if (!body.heartbeat) continue;
        // a scheduled run the node reported (cron.collect records them so)
        const at = Date.now() - 120_000;
        runSql(
          run.panel,
          `insert into cron_runs (id, job_id, account_id, task_id, state, exit_code, created_at,
            finished_at, kind, spool_id, uid, duration_ms, output, error)
           values ('cronrun_e2e', ?, ?, 'task_e2e', 'done', 0, ?, ?, 'scheduled', ?, 1001, 840, ?, null)`,
          made.body.id,
          account.body.id,
          at,
          at + 840,
          `${at}-000000000000`,
          "Running scheduled tasks.\nNo scheduled commands are ready to run.\n",
        );
        runSql(
          run.panel,
          "update cron_jobs set last_run_id = 'cronrun_e2e' where id = ?",
          made.body.id,
        );
      }
    },
  });
  const { axe, dialog } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };

  it("lists the jobs in words; the form shows the schedule in words and refuses %", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/cron-jobs`);
    await page.getByText("every 5 minutes").waitFor();
    await page.getByText("every Monday at 02:30").waitFor();
    expect(await page.getByText("as shop").count()).toBe(2);
    const beating = page.getByRole("row").filter({ hasText: "artisan" });
    await beating.getByRole("link", { name: "heartbeat monitor" }).waitFor();
    await beating.getByText("exit 0").waitFor();
    await beating.getByText(/^scheduled, .* as uid 1001$/).waitFor();
    await beating.getByText("output").click();
    await beating.getByText(/No scheduled commands are ready to run/).waitFor();
    await axe();
    await shot("cron-jobs-list");
    await page.getByRole("button", { name: "New cron job" }).click();
    await dialog().getByLabel("Schedule").fill("15 3 * * *");
    await dialog().getByText("every day at 03:15").waitFor();
    await dialog().getByLabel("Command").fill("tar czf ~/backup-$(date +%F).tgz ~/www");
    await dialog().getByRole("button", { name: "Create" }).click();
    await dialog().getByRole("alert").waitFor();
    expect(await dialog().getByRole("alert").textContent()).toMatch(/command.*%/);
    await shot("cron-jobs-new-refused");
    await dialog().getByRole("button", { name: "Cancel" }).click();
  });

  it("runs a job now (its task and log in a dialog) and asks for the id before deleting", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/cron-jobs`);
    const row = page.getByRole("row").filter({ hasText: "weekly-report" });
    await row.getByRole("button", { name: "Run now" }).click();
    await dialog().getByText("cron.run").waitFor();
    // no agent answers the node: the run fails before the command, and says why
    await dialog()
      .getByText(/node web-1 is not enrolled yet/)
      .waitFor();
    await shot("cron-jobs-run-now");
    await page.keyboard.press("Escape");
    await row.getByText("did not run").waitFor();
    await row.getByRole("button", { name: "Delete" }).click();
    await page.getByText(/Its line leaves the node's cron file/).waitFor();
    await shot("cron-jobs-delete-confirm");
  });
});
