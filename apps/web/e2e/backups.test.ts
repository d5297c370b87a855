// The backups console against a real panel and its real local agent (`steward serve` enrolls
// the machine it runs on as the node "local"): quick setup makes a files source (a directory
// with an exclude) and a node-directory destination (tested by the agent; a `..` path refused
// at its field first, nothing saved), then a plan run at once; the run's page follows the task
// live until it succeeded; the artifact is on disk with its sidecar and in the artifacts list
// (filters in the URL); the plans list and the dashboard show the last result; a plan with a
// second destination that cannot be written is run from the console: partial, said plainly,
// the failing destination's error in its row. Axe on each page. Screenshots in STEWARD_SHOTS.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const work = mkdtempSync(join(tmpdir(), "steward-e2e-backups-"));
const site = join(work, "site");
const vault = join(work, "vault");
const broken = join(work, "broken");
let accountId = "";
let localNode = "";
const AGENT_PORT = await freePort();
const BROKEN = '<img src=x onerror="alert(1)">broken';

describeConsole("the backups pages", { timeout: 300_000 }, () => {
  const ui = useConsole({
    panel: {
      env: {
        STEWARD_LOCAL_AGENT: "1",
        // the local agent's port: free, as every port of a test (its default is fixed)
        STEWARD_LOCAL_AGENT_PORT: String(AGENT_PORT),
        // the database server of the "save anyway" case is on 127.0.0.1 (nothing listens)
        STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
      },
    },
    signIn: true,
    timeout: 150_000,
    seed: async (run) => {
      mkdirSync(join(site, "cache"), { recursive: true });
      // a few MiB so the agent reports progress on the way (every 4 MiB moved)
      writeFileSync(join(site, "index.html"), "<h1>shop</h1>\n");
      writeFileSync(join(site, "media.bin"), randomBytes(9 * 1024 * 1024));
      writeFileSync(join(site, "cache", "skip.tmp"), "left out");
      const account = await run.panel.api("POST", "/api/v1/accounts", {
        key: run.key,
        body: { slug: "shop", name: "Shop" },
      });
      if (account.status !== 201) throw new Error(JSON.stringify(account.body));
      accountId = account.body.id;
      // the local agent enrolls itself once `serve` is up
      const deadline = Date.now() + 90_000;
      while (!localNode) {
        const nodes = await run.panel.api("GET", "/api/v1/nodes", { key: run.key });
        const local = nodes.body.items?.find(
          (n: { name: string; state: string }) => n.name === "local" && n.state === "trusted",
        );
        if (local) localNode = local.id;
        else if (Date.now() > deadline) throw new Error(`no local node:\n${run.panel.stderr()}`);
        else await new Promise((r) => setTimeout(r, 500));
      }
    },
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const shot = async (name: string) => {
    if (SHOTS)
      await ui.page.screenshot({ path: join(SHOTS, `backups-${name}.png`), fullPage: true });
  };

  it("sets up a backup in one page, runs it live to succeeded and lists its artifact", async () => {
    const { axe } = onPage(ui);
    const page = ui.page;
    await page.goto(`${ui.panel.url}/backups`);
    await page.getByText("No backup plans yet.").waitFor();
    await page.getByRole("button", { name: "Quick setup" }).click();
    await page.getByRole("heading", { name: "Quick setup" }).waitFor();
    await page.getByLabel("Account").selectOption({ label: "Shop" });

    // the source, made here: a directory of the local node, an exclude
    await page.getByLabel("Source", { exact: true }).selectOption({ label: "Make a new one…" });
    const source = page.locator("form").first();
    await source.getByLabel("Name").fill("shop files");
    await source.getByLabel("Node").selectOption({ label: "local" });
    await source.getByLabel("Directory").fill(site);
    await source.getByLabel("Excludes (optional)").fill("cache/**");
    await source.getByRole("button", { name: "Save source" }).click();
    await expect
      .poll(() => page.getByLabel("Source", { exact: true }).inputValue())
      .not.toBe("new");

    // the destination, made here: a `..` path refused at its field, then the real one
    await page.getByLabel("Destination").selectOption({ label: "Make a new one…" });
    const destination = page.locator("form").first();
    await destination.getByLabel("Name").fill("vault");
    await destination.getByLabel("Node").selectOption({ label: "local" });
    await destination.getByLabel("Directory").fill(`${vault}/../etc`);
    await destination.getByRole("button", { name: "Test and save" }).click();
    await destination.getByText(/no \. or \.\. segments/).waitFor();
    expect(
      (await ui.panel.api("GET", "/api/v1/backup-destinations", { key: ui.key })).body.items,
    ).toEqual([]);
    await shot("setup-refused");
    await destination.getByLabel("Directory").fill(vault);
    await destination.getByRole("button", { name: "Test and save" }).click();
    await expect.poll(() => page.getByLabel("Destination").inputValue()).not.toBe("new");
    const saved = await ui.panel.api("GET", "/api/v1/backup-destinations", { key: ui.key });
    expect(saved.body.items[0].lastTest).toMatchObject({ ok: true });

    // the plan: defaults, run once now
    await page.getByLabel("Plan name").waitFor();
    expect(await page.getByLabel("Plan name").inputValue()).toBe("shop files to vault");
    await page.getByLabel("Encryption").selectOption("panel");
    await axe();
    await shot("setup");
    await page.getByRole("button", { name: "Create plan" }).click();

    // the run's page follows the task: progress, then succeeded
    await page.waitForURL(/\/backups\/runs\/bkr_/);
    await page.getByText("Every destination has the artifact.").waitFor({ timeout: 120_000 });
    await page.getByText(/^read \d+\.\d MiB at .*vault: \d+\.\d MiB$/).waitFor();
    const bar = page.getByRole("progressbar", { name: "Backup progress" });
    await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("100");
    const outcome = page.getByRole("table", { name: "Outcome per destination" });
    await outcome.getByRole("row").filter({ hasText: "vault" }).getByText("succeeded").waitFor();
    await axe();
    await shot("run");

    // on disk: the artifact and its sidecar; the excluded file left out of the count
    const stored = readdirSync(vault);
    expect(stored.filter((f) => f.endsWith(".tar.zst.enc"))).toHaveLength(1);
    expect(stored.filter((f) => f.endsWith(".meta.json"))).toHaveLength(1);

    // the artifacts list, filtered in the URL
    await page.goto(`${ui.panel.url}/backups/artifacts`);
    const artifacts = page.getByRole("table", { name: "Backup artifacts" });
    await artifacts
      .getByRole("row")
      .filter({ hasText: "shop files to vault" })
      .getByText("not verified")
      .waitFor();
    const link = artifacts.getByRole("link", { name: /\.tar\.zst\.enc$/ });
    expect(await link.getAttribute("href")).toMatch(/^\/backups\/artifacts\/bka_/);
    await page.getByLabel("Verified", { exact: true }).selectOption("true");
    await page.getByText("Nothing matches these filters.").waitFor();
    expect(new URL(page.url()).searchParams.get("verified")).toBe("true");
    // a hand-typed boolean filter reads the same
    await page.goto(`${ui.panel.url}/backups/artifacts?verified=true`);
    await page.getByText("Nothing matches these filters.").waitFor();
    expect(await page.getByLabel("Verified", { exact: true }).inputValue()).toBe("true");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await artifacts.getByRole("link", { name: /\.tar\.zst\.enc$/ }).waitFor();
    await axe();
    await shot("artifacts");

    // the plans list and the dashboard: the last result, stored size, next run
    await page.goto(`${ui.panel.url}/backups`);
    const plans = page.getByRole("table", { name: "Backup plans" });
    const row = plans.getByRole("row").filter({ hasText: "shop files to vault" });
    await row.getByText("succeeded").waitFor();
    await row.getByText("every day at 03:00", { exact: false }).waitFor();
    await row.getByText(/next run: in \d+ (hours?|minutes?)/).waitFor();
    await axe();
    await shot("plans");
    await page.goto(`${ui.panel.url}/`);
    const glance = page.getByRole("table", { name: "Backup plans at a glance" });
    await glance
      .getByRole("row")
      .filter({ hasText: "shop files to vault" })
      .getByText("succeeded")
      .waitFor();
    await page.getByText("failed or partial in 24 h").waitFor();
    await shot("dashboard");
  });

  it("makes a run with a destination it cannot write partial, and says so", async () => {
    const { axe } = onPage(ui);
    const page = ui.page;
    // a second destination whose directory is replaced by a file once it passed its test
    const made = await ui.panel.api("POST", "/api/v1/backup-destinations", {
      key: ui.key,
      body: {
        // markup in a name stays text on every page
        name: BROKEN,
        accountId,
        settings: { kind: "local", nodeId: localNode, path: broken },
      },
    });
    expect(made.status).toBe(201);
    rmSync(broken, { recursive: true, force: true });
    writeFileSync(broken, "not a directory");
    const sources = await ui.panel.api("GET", "/api/v1/backup-sources", { key: ui.key });
    const vaultId = (
      await ui.panel.api("GET", "/api/v1/backup-destinations?sort=name", { key: ui.key })
    ).body.items.find((d: { name: string }) => d.name === "vault").id;
    const plan = await ui.panel.api("POST", "/api/v1/backup-plans", {
      key: ui.key,
      body: {
        name: "two places",
        accountId,
        sourceIds: [sources.body.items[0].id],
        destinationIds: [vaultId, made.body.id],
      },
    });
    expect(plan.status).toBe(201);

    await page.goto(`${ui.panel.url}/backups/plans/${plan.body.id}`);
    await page.getByRole("heading", { name: "two places" }).waitFor();
    await page.getByText("only when run").first().waitFor();
    await page.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/backups\/runs\/bkr_/);
    await page
      .getByText(/^Partial: some destinations have the artifact/)
      .waitFor({ timeout: 120_000 });
    const outcome = page.getByRole("table", { name: "Outcome per destination" });
    await outcome.getByRole("row").filter({ hasText: "vault" }).getByText("succeeded").waitFor();
    await outcome.getByRole("row").filter({ hasText: "broken" }).getByText("failed").waitFor();
    await axe();
    await shot("run-partial");
    // the same in the dark theme
    await page.evaluate(() => localStorage.setItem("steward.theme", "dark"));
    await page.reload();
    await outcome.getByRole("row").filter({ hasText: "broken" }).getByText("failed").waitFor();
    await axe();
    await shot("run-partial-dark");
    await page.evaluate(() => localStorage.setItem("steward.theme", "light"));

    // the destinations list: deleting asks first, naming the plans writing there
    await page.goto(`${ui.panel.url}/backups/destinations`);
    const destinations = page.getByRole("table", { name: "Backup destinations" });
    await destinations.getByRole("row").filter({ hasText: "vault" }).getByText("passed").waitFor();
    // testing again: the directory is a file now, the write fails
    const brokenRow = destinations.getByRole("row").filter({ hasText: "broken" });
    await brokenRow.getByRole("button", { name: "Test" }).click();
    await page.getByText(`${BROKEN}: the test failed at write.`).waitFor();
    await brokenRow.getByText("failed at write").waitFor();
    await brokenRow.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("alertdialog").getByText("Plans writing there: two places.").waitFor();
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await shot("destinations");
  });

  it("refuses a source whose server cannot be listed, then keeps it when told to", async () => {
    const { axe, dialog } = onPage(ui);
    const page = ui.page;
    // a server reached through the local node where nothing listens
    const server = await ui.panel.api("POST", "/api/v1/database-servers", {
      key: ui.key,
      body: {
        name: "main-pg",
        engine: "postgres",
        accountId,
        placement: "external",
        host: "127.0.0.1",
        port: await freePort(),
        adminUser: "postgres",
        adminPassword: "secret",
        tls: { mode: "disable", ca: null },
        viaNodeId: localNode,
        saveAnyway: true,
      },
    });
    expect(server.status).toBe(201);
    await page.goto(`${ui.panel.url}/backups/sources`);
    await page.getByRole("button", { name: "New source" }).click();
    await dialog().getByLabel("Name").fill("all of main");
    await dialog().getByLabel("Kind").selectOption({ label: "Every database of a server" });
    await dialog().getByLabel("Account").selectOption({ label: "Shop" });
    await dialog().getByLabel("Database server").selectOption({ label: "main-pg (PostgreSQL)" });
    await dialog().getByRole("button", { name: "Check and save" }).click();
    await dialog()
      .getByText(/the source's check failed/)
      .waitFor({ timeout: 60_000 });
    expect(
      (await ui.panel.api("GET", "/api/v1/backup-sources", { key: ui.key })).body.items,
    ).toHaveLength(1);
    await shot("source-check-failed");
    await dialog().getByLabel("Save even if the check fails").check();
    await dialog().getByRole("button", { name: "Save source" }).click();
    await dialog().waitFor({ state: "detached", timeout: 60_000 });
    const sources = page.getByRole("table", { name: "Backup sources" });
    const row = sources.getByRole("row").filter({ hasText: "all of main" });
    await row.getByText("check failed").waitFor();
    await row.getByText("every database of server main-pg").waitFor();
    await sources.getByRole("row").filter({ hasText: "shop files" }).waitFor();
    await axe();
    await shot("sources");
    // the destination's name with markup was shown as text: no alert() ran
    expect(ui.dialogs).toEqual([]);
  });
});
