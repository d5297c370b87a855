// The events page in Chromium against a real panel without any agent: events as the producers
// record them (a node lost and back, a site and its task failed; the site's name hostile: it
// must stay text), seeded in the panel's database. The list shows severity badges and links to
// each target; filters by type and least severity stay in the URL; a node's page shows its
// recent events; the empty states say what would appear. Every page passes axe.
import { join } from "node:path";
import { expect, it } from "vitest";
import { seedEvents } from "../tools/seed-events.ts";
import { describeConsole, onPage, runSql, useConsole } from "./harness-console.ts";

const HOSTILE = '<img src=x onerror="window.pwned=1">.example.com';

describeConsole("events in the console", { timeout: 120_000 }, () => {
  const ids = { node: "" };
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    seed: async (run) => {
      const node = await run.panel.api("POST", "/api/v1/nodes", {
        key: run.key,
        body: { name: "web-1", agentUrl: "https://10.0.0.5:7443" },
      });
      ids.node = node.body.id;
      seedEvents(join(run.panel.dataDir, "steward.db"), {
        siteId: "site_gone",
        nodeId: ids.node,
        accountId: null,
        domain: HOSTILE,
      });
    },
  });
  const { row, table, axe } = onPage(ui);

  it("lists what happened, newest first, with severity badges and links to the targets", async () => {
    await ui.page.goto(`${ui.panel.url}/events`);
    const back = row("Events", "node web-1 is reachable again");
    await back.getByText("info", { exact: true }).waitFor();
    await row("Events", "node web-1 is unreachable").getByText("critical").waitFor();
    // the hostile name is text, in the summary and the target
    const hostile = row("Events", `task apply site ${HOSTILE} failed`);
    await hostile.getByRole("link", { name: HOSTILE, exact: true }).waitFor();
    expect(ui.dialogs).toEqual([]);
    expect(await ui.page.title()).toBe("Events · Steward");
    const texts = await table("Events").getByRole("row").allInnerTexts();
    expect(texts.findIndex((t) => t.includes("reachable again"))).toBeLessThan(
      texts.findIndex((t) => t.includes("is unreachable")),
    );
    await axe();
    await back.getByRole("link", { name: "web-1" }).click();
    await ui.page.waitForURL(`${ui.panel.url}/nodes/${ids.node}`);
    await row("Recent events", "node web-1 is unreachable").waitFor();
    await axe();
  });

  it("filters by type or family and by least severity, in the URL", async () => {
    await ui.page.goto(`${ui.panel.url}/events`);
    await ui.page.getByLabel("Type").selectOption("node.");
    await ui.page.waitForURL(/type=node\./);
    await row("Events", "node web-1 is unreachable").waitFor();
    await expect.poll(() => row("Events", HOSTILE).count()).toBe(0);
    await ui.page.getByLabel("Severity").selectOption("critical");
    await ui.page.waitForURL(/severity=critical/);
    await expect.poll(() => row("Events", "reachable again").count()).toBe(0);
    await row("Events", "node web-1 is unreachable").waitFor();
    await ui.page.goto(`${ui.panel.url}/events?type=site.&outcome=success`);
    await ui.page.getByText("Nothing matches these filters.").waitFor();
    await axe();
  });

  it("says what will appear when nothing has happened", async () => {
    runSql(ui.panel, "delete from events");
    await ui.page.goto(`${ui.panel.url}/events`);
    await ui.page.getByText("Nothing has happened yet.").waitFor();
    await ui.page.goto(`${ui.panel.url}/nodes/${ids.node}`);
    await ui.page.getByText("Nothing has happened to this node yet.").waitFor();
    await axe();
  });
});
