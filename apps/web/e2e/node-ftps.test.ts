// A node's FTPS certificate in the console against a real panel: a node enrolled from this
// test (its agent's certificate exchanged; no agent needs to run: the ftp.tls task waits) and
// a site on it. The card says the node's own certificate is served, an admin picks the site,
// the card then names it (not installed yet), and "None" goes back. The card passes axe.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enroll } from "@steward/agent";
import { freePort } from "@steward/testkit";
import { afterAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const SHOTS = process.env.STEWARD_SHOTS;
const dir = mkdtempSync(join(tmpdir(), "steward-e2e-ftps-"));
let nodeId = "";
let siteId = "";
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeConsole("a node's FTPS certificate in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    signIn: true,
    seed: async (run) => {
      const api = (method: string, path: string, body?: unknown) =>
        run.panel.api(method, path, { key: run.key, body });
      const port = await freePort();
      const node = (
        await api("POST", "/api/v1/nodes", { name: "files", agentUrl: `https://127.0.0.1:${port}` })
      ).body;
      nodeId = node.id;
      const token = (await api("POST", `/api/v1/nodes/${node.id}/enrollment-token`)).body.token;
      await enroll({
        panel: run.panel.url,
        token,
        dir: join(dir, "agent"),
        listen: `127.0.0.1:${port}`,
      });
      const account = (await api("POST", "/api/v1/accounts", { name: "Files Co", slug: "files" }))
        .body;
      const site = await api("POST", "/api/v1/sites", {
        node: node.id,
        account: account.id,
        domains: ["files.ftps-console.test"],
        kind: "static",
      });
      expect(site.status, JSON.stringify(site.body)).toBe(201);
      siteId = site.body.id;
    },
  });
  const { axe } = onPage(ui);
  const shot = async (name: string) => {
    if (SHOTS) await ui.page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const card = () =>
    ui.page.locator("section", {
      has: ui.page.getByRole("heading", { name: "FTPS certificate" }),
    });

  it("shows the node's own certificate, picks a site's, and goes back to none", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes/${nodeId}`);
    await card().getByText("pure-ftpd serves the node's own certificate").waitFor();
    await card().getByRole("button", { name: "Change" }).click();
    await card().getByLabel("Site").selectOption(siteId);
    await axe();
    await shot("ftps-editing");
    await card().getByRole("button", { name: "Save" }).click();
    await card().getByText("(not installed yet)", { exact: false }).waitFor();
    await card().getByRole("link", { name: "files.ftps-console.test" }).waitFor();
    await axe();
    await shot("ftps-chosen");
    await card().getByRole("button", { name: "Change" }).click();
    await card().getByLabel("Site").selectOption("");
    await card().getByRole("button", { name: "Save" }).click();
    await card().getByText("pure-ftpd serves the node's own certificate").waitFor();
    expect(ui.dialogs).toEqual([]);
  });
});
