// Sorting a list from its column headers, in Chromium against a real panel: the sites list
// by name both ways (by mouse and keyboard), the header saying so (aria-sort), the pages
// following the sort, the order kept in the URL through a reload and undone by Back.
import { expect, it } from "vitest";
import { seriousViolations } from "./harness.ts";
import { describeConsole, runSql, useConsole } from "./harness-console.ts";

/** more sites than a page holds (25), made in an order that is not the names' */
const NAMES = Array.from(
  { length: 30 },
  (_, i) => `s${String((i * 7) % 30).padStart(2, "0")}.example.com`,
);

describeConsole("sorting lists in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    seed: async ({ panel, key }) => {
      const node = await panel.api("POST", "/api/v1/nodes", {
        key,
        body: { name: "web-1", agentUrl: "https://10.0.0.5:7443" },
      });
      // a trusted node without an agent: set in the database (sites stay pending)
      runSql(
        panel,
        "update nodes set state = 'trusted', cert_fingerprint = ? where id = ?",
        "0".repeat(64),
        node.body.id,
      );
      for (const name of NAMES) {
        const body = { node: node.body.id, domains: [name], kind: "static" };
        expect((await panel.api("POST", "/api/v1/sites", { key, body })).status).toBe(201);
      }
    },
  });

  const table = () => ui.page.getByRole("table", { name: "Sites", exact: true });
  const header = () => table().getByRole("columnheader", { name: "Site" });
  /** the names shown, once the table shows the order asked for */
  const shown = () =>
    table()
      .getByRole("row")
      .getByRole("link")
      .filter({ hasText: ".example.com" })
      .allTextContents();
  const sorted = [...NAMES].sort();

  it("sorts sites by name from the header, both ways, page after page", async () => {
    await ui.page.goto(`${ui.panel.url}/sites`);
    await table().waitFor();
    // the default order: creation
    await expect.poll(shown).toEqual(NAMES.slice(0, 25));
    expect(await header().getAttribute("aria-sort")).toBe("none");

    await header().getByRole("button", { name: "Site" }).click();
    await expect.poll(() => header().getAttribute("aria-sort")).toBe("ascending");
    await expect.poll(shown).toEqual(sorted.slice(0, 25));
    expect(new URL(ui.page.url()).searchParams.get("sort")).toBe("name");
    await ui.page
      .getByRole("navigation", { name: "Sites pages" })
      .getByRole("button", { name: "Next" })
      .click();
    await expect.poll(shown).toEqual(sorted.slice(25));
    await expect(await seriousViolations(ui.page)).toEqual([]);

    // the keyboard: the header's button takes focus and Enter sorts the other way
    await header().getByRole("button", { name: "Site" }).focus();
    await ui.page.keyboard.press("Enter");
    await expect.poll(() => header().getAttribute("aria-sort")).toBe("descending");
    // a new order starts at its first page
    await expect.poll(shown).toEqual([...sorted].reverse().slice(0, 25));
    expect(new URL(ui.page.url()).searchParams.get("sort")).toBe("-name");
  });

  it("keeps the order through a reload, and Back returns to the one before", async () => {
    await ui.page.reload();
    await expect.poll(shown).toEqual([...sorted].reverse().slice(0, 25));
    expect(await header().getAttribute("aria-sort")).toBe("descending");
    await ui.page.goBack();
    await expect.poll(() => header().getAttribute("aria-sort")).toBe("ascending");
    await expect.poll(shown).toEqual(sorted.slice(0, 25));
    // only one page of results: no pager
    await ui.page.getByRole("searchbox", { name: "Search sites" }).fill("s1");
    await expect.poll(shown).toEqual(sorted.filter((name) => name.startsWith("s1")));
    expect(await ui.page.getByRole("navigation", { name: "Sites pages" }).count()).toBe(0);
    expect(new URL(ui.page.url()).searchParams.get("sort")).toBe("name");
    expect(ui.dialogs).toEqual([]);
  });
});
