// "Are my servers and sites OK", in Chromium against a real panel without any agent: a node
// made trusted in the panel's database with facts and 24 hours of health points as the
// heartbeat records them; sites made through the API whose tasks are cancelled, one then
// failed and one active with a proxy warning. The dashboard shows node health and the failing
// site first; the node list shows state, OS, load, memory and disk; the node's page shows how
// old its facts are and asks the agent again on demand; a site's page shows its warning, and
// Retry applies a failed site again. Every page passes axe.
import { expect, it } from "vitest";
import { section, seriousViolations } from "./harness.ts";
import { type ConsoleRun, describeConsole, runSql, useConsole } from "./harness-console.ts";

const FAILED = "broken.example.com";
const WARNED = "soon.example.com";
const FINE = "fine.example.com";
const WARNING =
  "http://soon.example.com/ is routed, but its upstream does not answer yet (nginx answers 502): the site serves once the upstream is up";
const FACTS = {
  hostname: "web-h1",
  os: { id: "debian", name: "Debian GNU/Linux 13 (trixie)", version: "13", kernel: "6.12.0" },
  arch: "x86_64",
  cpus: 4,
  memory: { totalBytes: 8 * 2 ** 30, availableBytes: 2 * 2 ** 30 },
  disks: [{ mount: "/", totalBytes: 100 * 2 ** 30, availableBytes: 60 * 2 ** 30 }],
  services: [{ name: "nginx", installed: true, version: "1.26.3", running: true }],
  systemd: true,
  collectedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
};

describeConsole("node and site health in the console", { timeout: 120_000 }, () => {
  const ui: ConsoleRun = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0" } },
    seed,
    signIn: true,
  });
  const ids = { node: "", failed: "", warned: "", fine: "" };

  const sql = (statement: string, ...params: (string | number)[]) =>
    runSql(ui.panel, statement, ...params);
  const api = async (method: string, path: string, body?: unknown) =>
    (await ui.panel.api(method, path, { key: ui.key, body })).body;
  const axe = async () => expect(await seriousViolations(ui.page)).toEqual([]);

  /** A site through the API, its apply task cancelled (no agent would ever answer it). */
  async function site(domain: string, kind = "static", upstream?: string) {
    const made = await api("POST", "/api/v1/sites", {
      node: ids.node,
      domains: [domain],
      kind,
      ...(upstream ? { upstream } : {}),
    });
    await api("POST", `/api/v1/tasks/${made.taskId}/cancel`);
    // a running attempt writes the site's row as it stops: only then is the row ours
    for (let i = 0; i < 200; i++) {
      if ((await api("GET", `/api/v1/tasks/${made.taskId}`)).state === "cancelled") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return made.id as string;
  }

  async function seed() {
    ids.node = (
      await api("POST", "/api/v1/nodes", { name: "web-h1", agentUrl: "https://127.0.0.1:1" })
    ).id;
    sql(
      "update nodes set state = 'trusted', cert_fingerprint = ?, cert_expires_at = ?, facts = ? where id = ?",
      "ab".repeat(32),
      Date.now() + 90 * 86_400_000,
      JSON.stringify(FACTS),
      ids.node,
    );
    // an hour of points, one a minute, the load rising to 1.5 (as the heartbeat records them)
    const minute = Date.now() - (Date.now() % 60_000);
    for (let i = 60; i >= 0; i--)
      sql(
        "insert into node_metrics values (?, ?, ?, ?, ?, 4, ?, ?, ?, ?, ?)",
        ids.node,
        minute - i * 60_000,
        1.5 - i / 60,
        0.75,
        0.5,
        20,
        8 * 2 ** 30,
        2 * 2 ** 30,
        100 * 2 ** 30,
        60 * 2 ** 30,
      );
    ids.fine = await site(FINE);
    sql("update sites set status = 'active', last_error = null where id = ?", ids.fine);
    // a private upstream: allowed on this node by a super user first
    await api("PATCH", `/api/v1/nodes/${ids.node}`, { outbound: { allowPrivate: true } });
    ids.warned = await site(WARNED, "proxy", "http://10.1.2.3:8080");
    sql(
      "update sites set status = 'active', last_error = null, warning = ? where id = ?",
      WARNING,
      ids.warned,
    );
    ids.failed = await site(FAILED);
    sql(
      "update sites set status = 'failed', last_error = ? where id = ?",
      "test nginx configuration failed: nginx exited with code 1",
      ids.failed,
    );
  }

  it("shows node health and the failing sites first on the dashboard", async () => {
    await ui.page.goto(`${ui.panel.url}/`);
    const nodes = ui.page.getByRole("list", { name: "Node health" });
    const node = nodes.getByRole("listitem").filter({ hasText: "web-h1" });
    await node.getByText("Debian GNU/Linux 13 (trixie)").waitFor();
    await node.getByText("1.50 / 0.75 / 0.50").waitFor();
    expect(await node.getByTitle("Memory: 75% used").textContent()).toBe("75%");
    expect(await node.getByTitle("Root disk: 40% used").textContent()).toBe("40%");
    await node.getByRole("img", { name: /^Load of web-h1, last 24 hours: 61 points/ }).waitFor();
    const attention = ui.page
      .getByRole("list", { name: "Sites needing attention" })
      .getByRole("listitem");
    await expect.poll(() => attention.count()).toBe(2);
    expect(await attention.nth(0).textContent()).toContain(FAILED);
    expect(await attention.nth(0).textContent()).toContain("test nginx configuration failed");
    expect(await attention.nth(1).textContent()).toContain(WARNED);
    expect(await attention.filter({ hasText: FINE }).count()).toBe(0);
    const byStatus = ui.page.getByRole("list", { name: "Sites by status" });
    expect(await byStatus.getByRole("link", { name: "1 failed" }).count()).toBe(1);
    expect(await byStatus.getByRole("link", { name: "2 active" }).count()).toBe(1);
    const later = ui.page.getByRole("list", { name: "Coming later" });
    await later.getByText("Certificates", { exact: true }).waitFor();
    // backups have their own card: an empty one says how to make the first plan
    await ui.page.getByText("No backup plans yet").waitFor();
    // the installed recurring tasks are schedules, not queued work
    await ui.page.getByText(/recurring schedules? wait for their next run/).waitFor();
    await axe();
  });

  it("lists nodes with their state, OS, load, memory and disk", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes`);
    const table = ui.page.getByRole("table", { name: "Nodes", exact: true });
    const row = table.getByRole("row").filter({ hasText: "web-h1" });
    await row.getByText("Debian GNU/Linux 13 (trixie)").waitFor();
    const headers = await table.getByRole("columnheader").allTextContents();
    for (const h of ["State", "OS", "Load", "Memory", "Disk"]) expect(headers).toContain(h);
    await row.getByText("1.50 / 0.75 / 0.50").waitFor();
    expect(await row.getByTitle("Memory: 75% used").textContent()).toBe("75%");
    expect(await row.getByTitle("Root disk: 40% used").textContent()).toBe("40%");
    await axe();
  });

  it("shows how old a node's facts are and asks its agent again on demand", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes/${ids.node}`);
    const machine = section(ui.page, "Machine");
    await machine.getByText("reported 2 hours ago").waitFor();
    await ui.page.getByRole("img", { name: /^CPU used, last 24 hours: 61 points/ }).waitFor();
    await machine.getByRole("button", { name: "Refresh facts" }).click();
    await expect
      .poll(async () =>
        (await api("GET", `/api/v1/audit-events?target=${ids.node}`)).items.map(
          (e: { action: string }) => e.action,
        ),
      )
      .toContain("node.facts");
    const tasks = await api("GET", `/api/v1/tasks?target=node:${ids.node}`);
    expect(tasks.items.map((t: { kind: string }) => t.kind)).toContain("node.facts");
    await axe();
  });

  it("shows a proxy site's warning on its page", async () => {
    await ui.page.goto(`${ui.panel.url}/sites/${ids.warned}`);
    await ui.page.getByText("The site is active, with a warning").waitFor();
    await ui.page.getByText(WARNING).waitFor();
    expect(await ui.page.getByRole("button", { name: "Retry" }).count()).toBe(0);
    await axe();
  });

  it("retries a failed site from its page", async () => {
    await ui.page.goto(`${ui.panel.url}/sites/${ids.failed}`);
    await ui.page.getByText("The last change failed").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "Retry" }).click();
    await expect
      .poll(async () => (await api("GET", `/api/v1/sites/${ids.failed}`)).status)
      .toBe("pending");
    await expect.poll(() => ui.page.getByRole("button", { name: "Retry" }).count()).toBe(0);
    const audit = await api("GET", `/api/v1/audit-events?target=${ids.failed}`);
    expect(audit.items.map((e: { action: string }) => e.action)).toContain("site.retry");
  });
});
