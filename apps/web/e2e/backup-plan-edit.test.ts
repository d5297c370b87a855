// Editing a backup plan in the console against a real panel and its real local agent (`steward
// serve` enrolls the machine it runs on as the node "local"): a files source and two node
// directories made through the API, a `panel` plan; on its page, "Edit" opens the plan's
// values, a bad cron expression is refused at its field with nothing changed (read back
// through the API), then a new schedule, retention, a second destination and test restores
// are saved (only the changed fields: the name stays), the page shows them and the next test
// restore; disabled, then enabled again. The recovery kit downloads once, then asks for a
// reason. A `recipients` plan: scheduled test restores refused in the API's words at their
// field (nothing changed), its keys changed. Axe on the dialog and the page. Screenshots in
// STEWARD_SHOTS.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const work = mkdtempSync(join(tmpdir(), "steward-e2e-plan-edit-"));
const AGENT_PORT = await freePort();
let planId = "";
let sourceId = "";
let vaultId = "";
let spareId = "";
let accountId = "";

describeConsole("editing a backup plan", { timeout: 300_000 }, () => {
  const ui = useConsole({
    panel: {
      env: { STEWARD_LOCAL_AGENT: "1", STEWARD_LOCAL_AGENT_PORT: String(AGENT_PORT) },
    },
    signIn: true,
    timeout: 150_000,
    seed: async (run) => {
      mkdirSync(join(work, "site"), { recursive: true });
      writeFileSync(join(work, "site", "index.html"), "<h1>shop</h1>\n");
      const call = async (path: string, body: unknown) => {
        const res = await run.panel.api("POST", path, { key: run.key, body });
        if (res.status !== 201) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
        return res.body;
      };
      const account = await call("/api/v1/accounts", { slug: "shop", name: "Shop" });
      accountId = account.id;
      let localNode = "";
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
      sourceId = (
        await call("/api/v1/backup-sources", {
          name: "shop files",
          accountId: account.id,
          source: { kind: "files", nodeId: localNode, path: join(work, "site") },
        })
      ).id;
      const directory = async (name: string) => {
        mkdirSync(join(work, name));
        return (
          await call("/api/v1/backup-destinations", {
            name,
            accountId: account.id,
            settings: { kind: "local", nodeId: localNode, path: join(work, name) },
            // nothing runs here: the agent's test of the directory is not what this is about
            saveAnyway: true,
          })
        ).id;
      };
      vaultId = await directory("vault");
      spareId = await directory("spare");
      planId = (
        await call("/api/v1/backup-plans", {
          name: "shop nightly",
          accountId: account.id,
          sourceIds: [sourceId],
          destinationIds: [vaultId],
          schedule: "0 3 * * *",
          timeZone: "UTC",
          encryption: { mode: "panel" },
        })
      ).id;
    },
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const shot = async (name: string) => {
    if (SHOTS)
      await ui.page.screenshot({ path: join(SHOTS, `plan-edit-${name}.png`), fullPage: true });
  };
  const plan = async () =>
    (await ui.panel.api("GET", `/api/v1/backup-plans/${planId}`, { key: ui.key })).body;
  const dialog = () => ui.page.getByRole("dialog");

  it("edits the schedule, retention and destinations, refusing a bad cron at its field", async () => {
    const { axe } = onPage(ui);
    const page = ui.page;
    const before = await plan();
    await page.goto(`${ui.panel.url}/backups/plans/${planId}`);
    await page.getByRole("heading", { name: "shop nightly" }).waitFor();
    await page.getByText("none on a schedule").waitFor();
    await page.getByRole("button", { name: "Edit" }).click();

    // the plan's values, the mode fixed
    expect(await dialog().getByLabel("Plan name").inputValue()).toBe("shop nightly");
    expect(await dialog().getByLabel("When").inputValue()).toBe("0 3 * * *");
    expect(await dialog().getByLabel("How many to keep").inputValue()).toBe("7");
    expect(await dialog().getByLabel("Encryption").isDisabled()).toBe(true);
    expect(await dialog().getByLabel("vault (", { exact: false }).isChecked()).toBe(true);
    expect(await dialog().getByLabel("spare (", { exact: false }).isChecked()).toBe(false);

    // a cron expression that is not one: refused at its field, nothing changed
    await dialog().getByLabel("When").selectOption({ label: "A cron expression of my own" });
    await dialog().getByLabel("Cron expression").fill("61 * * * *; rm -rf /");
    await dialog().getByLabel("How many to keep").fill("3");
    await dialog().getByRole("button", { name: "Save plan" }).click();
    const cronField = dialog().getByRole("textbox", { name: "Cron expression" });
    await expect.poll(() => cronField.getAttribute("aria-invalid")).toBe("true");
    await axe();
    await shot("bad-cron");
    const unchanged = await plan();
    expect(unchanged).toMatchObject({
      schedule: before.schedule,
      retention: before.retention,
      updatedAt: before.updatedAt,
    });

    // a real one, GFS retention, a second destination and test restores on Sundays
    await dialog().getByLabel("Cron expression").fill("30 2 * * 1-5");
    await dialog().getByLabel("Retention").selectOption("gfs");
    await dialog().getByLabel("spare (", { exact: false }).check();
    await dialog().getByLabel("Test-restore the newest artifact on a schedule").check();
    await dialog().getByLabel("Test-restore cron expression").fill("0 5 * * 0");
    await dialog().getByLabel("Test-restore time zone").fill("UTC");
    await shot("edit");
    await dialog().getByRole("button", { name: "Save plan" }).click();
    await dialog().waitFor({ state: "detached" });
    const after = await plan();
    expect(after).toMatchObject({
      name: "shop nightly",
      schedule: "30 2 * * 1-5",
      retention: { gfs: { hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 2 } },
      destinationIds: [vaultId, spareId],
      verify: { schedule: "0 5 * * 0", timeZone: "UTC" },
      enabled: true,
    });
    await page.getByText("· 30 2 * * 1-5").waitFor();
    await page.getByText("· 0 5 * * 0").waitFor();
    await shot("edited");
    await page.getByText(/· next .*\(in \d+ (days?|hours?|minutes?)\)/).waitFor();
    await axe();
  });

  it("disables and enables the plan", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/backups/plans/${planId}`);
    await page.getByRole("button", { name: "Edit" }).click();
    await dialog().getByLabel("Enabled").uncheck();
    // only what changed is sent
    const sent = page.waitForRequest((r) => r.method() === "PATCH");
    await dialog().getByRole("button", { name: "Save plan" }).click();
    expect((await sent).postDataJSON()).toEqual({ enabled: false });
    await dialog().waitFor({ state: "detached" });
    await page.getByText("disabled: it runs only when asked").waitFor();
    expect((await plan()).enabled).toBe(false);
    await shot("disabled");
    await page.getByRole("button", { name: "Edit" }).click();
    await dialog().getByLabel("Enabled").check();
    await dialog().getByRole("button", { name: "Save plan" }).click();
    await dialog().waitFor({ state: "detached" });
    await expect.poll(async () => (await plan()).enabled).toBe(true);
    await page.getByText("disabled: it runs only when asked").waitFor({ state: "detached" });
  });

  it("downloads the recovery kit once, then only with a reason", async () => {
    const page = ui.page;
    await page.goto(`${ui.panel.url}/backups/plans/${planId}`);
    await page.getByRole("button", { name: "Recovery kit" }).click();
    await page.getByText("It is shown once", { exact: false }).waitFor();
    await shot("kit-confirm");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download the recovery kit" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe("shop-nightly-recovery-kit.txt");
    const saved = join(work, "kit.txt");
    await file.saveAs(saved);
    expect(readFileSync(saved, "utf8")).toContain("Private key (X25519, PKCS#8 DER in base64):");
    await page.getByRole("button", { name: "Recovery kit again" }).click();
    await dialog().getByRole("button", { name: "Download the recovery kit" }).click();
    await dialog().getByText("say why the recovery kit is taken again").waitFor();
    await shot("kit-again");
    expect(ui.dialogs).toEqual([]);
  });

  it("refuses test restores for a plan encrypted for the user's keys, and changes its keys", async () => {
    const page = ui.page;
    const key = () => randomBytes(32).toString("base64");
    const first = key();
    const made = await ui.panel.api("POST", "/api/v1/backup-plans", {
      key: ui.key,
      body: {
        name: "shop sealed",
        accountId,
        sourceIds: [sourceId],
        destinationIds: [vaultId],
        encryption: { mode: "recipients", recipients: [first] },
      },
    });
    expect(made.status).toBe(201);
    await page.goto(`${ui.panel.url}/backups/plans/${made.body.id}`);
    await page.getByRole("heading", { name: "shop sealed" }).waitFor();
    expect(await page.getByRole("button", { name: "Recovery kit" }).count()).toBe(0);
    await page.getByRole("button", { name: "Edit" }).click();
    expect(await dialog().getByLabel("Public keys").inputValue()).toBe(first);
    await dialog().getByLabel("Test-restore the newest artifact on a schedule").check();
    await dialog().getByRole("button", { name: "Save plan" }).click();
    await dialog()
      .getByText(/the panel holds no key to open it/)
      .waitFor();
    await shot("recipients-refused");
    const read = async () =>
      (await ui.panel.api("GET", `/api/v1/backup-plans/${made.body.id}`, { key: ui.key })).body;
    expect(await read()).toMatchObject({ verify: null, updatedAt: made.body.updatedAt });
    await dialog().getByLabel("Test-restore the newest artifact on a schedule").uncheck();
    const second = key();
    await dialog().getByLabel("Public keys").fill(`${first}\n${second}`);
    await dialog().getByRole("button", { name: "Save plan" }).click();
    await dialog().waitFor({ state: "detached" });
    await page.getByText("(2 public keys)").waitFor();
    expect((await read()).recipients).toEqual([first, second]);
  });
});
