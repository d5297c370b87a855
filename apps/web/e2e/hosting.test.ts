// Nodes and sites through the console, against a real panel without any agent: nodes added
// through the dialog (they stay pending) with their one-time enrollment command, a node
// revoked by typing its name; what a node's proxies may reach, changed on its page; sites
// created through the form on a node made trusted in the database, upstreams the node's
// outbound policy refuses said at the upstream field, hostile names refused at the domains field, a site's failing apply task shown on
// its page, then edit, suspend and delete through their dialogs. Every page passes axe, each
// with a dialog open at least once.
import { expect, it } from "vitest";
import { section } from "./harness.ts";
import { describeConsole, onPage, ROOT, runSql, useConsole } from "./harness-console.ts";

const HOSTILE_ERROR = '<img src=x onerror="window.pwned=1"> agent said no';
const STATIC = "static.example.com";
const PROXY = "app.example.com";
/** What an agent would report (the host name is hostile: it must stay text). */
const FACTS = {
  hostname: HOSTILE_ERROR,
  os: { id: "debian", name: "Debian GNU/Linux", version: "12", kernel: "6.1.0-18-amd64" },
  arch: "x86_64",
  cpus: 4,
  memory: { totalBytes: 8 * 2 ** 30, availableBytes: 5 * 2 ** 30 },
  disks: [
    { mount: "/", totalBytes: 100 * 2 ** 30, availableBytes: 5 * 2 ** 30 },
    { mount: "/srv", totalBytes: 500 * 2 ** 30, availableBytes: 400 * 2 ** 30 },
  ],
  services: [
    { name: "nginx", installed: true, version: "1.22.1", running: true },
    { name: "php-fpm", installed: false, version: null, running: null },
  ],
  systemd: true,
  collectedAt: new Date().toISOString(),
};

describeConsole("nodes and sites in the console", { timeout: 120_000 }, () => {
  // no agent on this machine: nodes are only what the tests add; hostile text must open no
  // browser dialog (ui.dialogs)
  const ui = useConsole({ panel: { env: { STEWARD_LOCAL_AGENT: "0" } }, signIn: true });
  const { dialog, row, choose, submit, axe } = onPage(ui);
  const ids = { web1: "", web2: "", static: "", proxy: "" };

  const confirmDialog = () => ui.page.getByRole("alertdialog");
  const apiGet = async (path: string) => (await ui.panel.api("GET", path, { key: ui.key })).body;
  const invalid = (label: string) => dialog().getByLabel(label, { exact: true });

  it("says what to do when there are no nodes and no sites", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes`);
    await ui.page.getByText("No nodes yet.").waitFor();
    await ui.page.getByText("then run the command it shows on the server").waitFor();
    await axe();
    await ui.page.goto(`${ui.panel.url}/sites`);
    await ui.page.getByText("No sites yet.").waitFor();
    await axe();
  });

  it("adds a node, refusing bad values at their fields, and shows its enrollment command once", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes`);
    await ui.page.getByRole("button", { name: "Add node" }).click();
    await invalid("Name").fill("Web 1");
    await invalid("Agent URL").fill("http://web-1.example.com:7443");
    await dialog().getByRole("button", { name: "Add node" }).click();
    await expect.poll(() => invalid("Name").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => invalid("Agent URL").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("must be https://host:port").waitFor();
    await axe();
    await invalid("Name").fill("web-1");
    // nothing listens on port 1: every request to this agent fails at once
    await invalid("Agent URL").fill("https://127.0.0.1:1");
    await dialog().getByRole("button", { name: "Add node" }).click();
    await dialog().getByRole("heading", { name: "Enroll web-1" }).waitFor();
    const command = dialog().getByText(`steward agent enroll --panel ${ui.panel.url} --token `);
    await command.waitFor();
    expect(await command.textContent()).toMatch(/--token [A-Za-z0-9_-]{20,}$/);
    await dialog().getByRole("button", { name: "Copy Enrollment command" }).waitFor();
    await dialog()
      .getByText(/Expires .* \(in 15 minutes\)/)
      .waitFor();
    // the test panel's public URL is localhost: another server could not reach it
    await dialog().getByText("another server cannot reach").waitFor();
    // the one-line installer first (docs/install.md); the command above for a checkout
    const installer = dialog().getByText(
      `curl -fsSL ${ui.panel.url}/install/agent.sh | sudo sh -s -- --token '`,
    );
    await installer.waitFor();
    expect(await installer.textContent()).toMatch(/--token '[A-Za-z0-9_-]{20,}'$/);
    await dialog().getByRole("button", { name: "Copy One-line installer" }).waitFor();
    await dialog().getByText("a checkout of Steward and Node.js 24").waitFor();
    await axe();
    await submit("Done");
    await row("Nodes", "web-1").getByText("pending", { exact: true }).waitFor();
    expect(await ui.page.getByText("--token").count()).toBe(0); // shown once (both lines)
    const nodes = await apiGet("/api/v1/nodes");
    ids.web1 = nodes.items.find((n: { name: string }) => n.name === "web-1").id;
    expect(ids.web1).toMatch(/^node_/);
  });

  it("makes a new enrollment token on the node's page", async () => {
    await row("Nodes", "web-1").getByRole("link", { name: "web-1" }).click();
    await ui.page.getByRole("heading", { name: "web-1", level: 1 }).waitFor();
    await ui.page.getByText("This node waits for its agent.").waitFor();
    await ui.page.getByText("No sites on this node.").waitFor();
    await ui.page.getByRole("button", { name: "New enrollment token" }).click();
    await dialog().getByText(`steward agent enroll --panel ${ui.panel.url} --token `).waitFor();
    await axe();
    await submit("Done");
  });

  it("revokes a node after its name is typed, and shows its error as text", async () => {
    const made = await ui.panel.api("POST", "/api/v1/nodes", {
      key: ui.key,
      body: { name: "web-2", agentUrl: "https://127.0.0.1:2" },
    });
    expect(made.status).toBe(201);
    ids.web2 = made.body.id;
    runSql(ui.panel, "update nodes set last_error = ? where id = ?", HOSTILE_ERROR, ids.web2);
    await ui.page.goto(`${ui.panel.url}/nodes/${ids.web2}`);
    await ui.page.getByText(HOSTILE_ERROR).waitFor();
    expect(await ui.page.locator('img[src="x"]').count()).toBe(0);
    await ui.page.getByRole("button", { name: "Revoke" }).click();
    await confirmDialog().getByText("stops working at once").waitFor();
    const revoke = confirmDialog().getByRole("button", { name: "Revoke node" });
    expect(await revoke.isDisabled()).toBe(true);
    await axe();
    await confirmDialog().getByLabel("Type web-2 to confirm").fill("web-2");
    await revoke.click();
    await ui.page.getByText("This node is revoked").waitFor();
    expect((await apiGet(`/api/v1/nodes/${ids.web2}`)).state).toBe("revoked");
    expect(await ui.page.getByRole("button", { name: "New enrollment token" }).count()).toBe(0);
    await ui.page.goto(`${ui.panel.url}/nodes?state=revoked`);
    await row("Nodes", "web-2").waitFor();
    expect(await row("Nodes", "web-1").count()).toBe(0);
    await axe();
  });

  it("refuses hostile domain names at the domains field, creating nothing", async () => {
    // No agent enrolls in this test: the node is made trusted in the panel's database, with a
    // pinned certificate, so its tasks try to reach the agent (port 1: refused) and retry.
    runSql(
      ui.panel,
      "update nodes set state = 'trusted', cert_fingerprint = ?, cert_expires_at = ?, facts = ? where id = ?",
      "ab".repeat(32),
      Date.now() + 90 * 86_400_000,
      JSON.stringify(FACTS),
      ids.web1,
    );
    await ui.page.goto(`${ui.panel.url}/sites`);
    await ui.page.getByRole("button", { name: "New site" }).click();
    // the one enrolled node is chosen already; pending and revoked ones cannot be
    await expect.poll(() => invalid("Node").inputValue()).toBe(ids.web1);
    await invalid("Domains").fill("example.com; include /etc/passwd\n<script>x</script>.com");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await expect.poll(() => invalid("Domains").getAttribute("aria-invalid")).toBe("true");
    const error = dialog().locator("[data-field-error]");
    await error.getByText("“example.com; include /etc/passwd” must be a domain name").waitFor();
    await error.getByText("“<script>x</script>.com” must be a domain name").waitFor();
    expect(await ui.page.evaluate(() => [...document.scripts].some((s) => s.text === "x"))).toBe(
      false,
    );
    await axe();
    expect((await apiGet("/api/v1/sites")).items).toEqual([]);
    await dialog().getByRole("button", { name: "Cancel" }).click();
  });

  it("creates a static site and shows its failing apply task", async () => {
    await ui.page.getByRole("button", { name: "New site" }).click();
    await choose(/^Static/);
    await invalid("Domains").fill(` ${STATIC} , www.${STATIC}\n`);
    await invalid("www redirect").selectOption("to-non-www");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await ui.page.waitForURL(/\/sites\/site_[a-z0-9]+$/);
    ids.static = ui.page.url().split("/").pop() ?? "";
    await ui.page.getByRole("heading", { name: STATIC, level: 1 }).waitFor();
    const site = await apiGet(`/api/v1/sites/${ids.static}`);
    expect(site.domains).toEqual([STATIC, `www.${STATIC}`]);
    expect(site.redirect).toBe("to-non-www");
    // pending until its task succeeds; no agent answers, so the task retries (with backoff,
    // 5 attempts: well over a minute) and the error of each attempt appears
    await ui.page.getByText("pending", { exact: true }).first().waitFor();
    await ui.page.getByRole("link", { name: site.taskId, exact: true }).waitFor();
    await ui.page.getByText("The last attempt failed").waitFor({ timeout: 30_000 });
    await ui.page.getByText("does not answer").first().waitFor();
    // the task history says what each task does, by the site's name
    await row("Task history", `apply site ${STATIC}`).waitFor();
    await axe();
  });

  it("names what tasks do and what audit events touched; the audit actor filter takes an email", async () => {
    await ui.page.goto(`${ui.panel.url}/tasks`);
    await row("Tasks", `apply site ${STATIC}`).waitFor();
    expect(await ui.page.title()).toBe("Tasks · Steward");
    await ui.page.goto(`${ui.panel.url}/audit?action=site.create`);
    await row("Audit events", STATIC).waitFor();
    expect(await ui.page.title()).toBe("Audit log · Steward");
    // the person who created it, by email; nobody else's events
    await ui.page.goto(
      `${ui.panel.url}/audit?action=site.create&actor=${encodeURIComponent(ROOT)}`,
    );
    await row("Audit events", STATIC).waitFor();
    await ui.page.goto(`${ui.panel.url}/audit?action=site.create&actor=nobody%40example.com`);
    await ui.page.getByText("Nothing matches these filters.").waitFor();
    // the sites list names the account and links to the site itself
    await ui.page.goto(`${ui.panel.url}/sites`);
    await row("Sites", STATIC).getByText("Default", { exact: true }).waitFor();
    await axe();
  });

  it("lets a super user allow more ranges for a node's proxies on its page", async () => {
    await ui.page.goto(`${ui.panel.url}/nodes/${ids.web1}`);
    const card = section(ui.page, "Proxy upstreams");
    await card.getByText("Sites on this node may proxy to public addresses.").waitFor();
    await card.getByRole("button", { name: "Change" }).click();
    const ranges = card.getByLabel("More allowed ranges", { exact: true });
    await ranges.fill("127.0.0.0/8\n10.0.0.0/33");
    await card.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => ranges.getAttribute("aria-invalid")).toBe("true");
    await card.getByText("“10.0.0.0/33” must be an address or a CIDR range").waitFor();
    await axe();
    expect((await apiGet(`/api/v1/nodes/${ids.web1}`)).outbound.allow).toEqual([]);
    await ranges.fill("127.0.0.0/8");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText("127.0.0.0/8", { exact: true }).waitFor();
    expect((await apiGet(`/api/v1/nodes/${ids.web1}`)).outbound).toEqual({
      allowPrivate: false,
      allow: ["127.0.0.0/8"],
    });
  });

  it("creates a proxy site, asking for its upstream at the field", async () => {
    await ui.page.goto(`${ui.panel.url}/sites`);
    await ui.page.getByRole("button", { name: "New site" }).click();
    await choose(/^Proxy/);
    await invalid("Domains").fill(PROXY);
    await dialog().getByRole("button", { name: "Create site" }).click();
    await expect.poll(() => invalid("Upstream").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("is required for a proxy site").waitFor();
    // the node's outbound policy: loopback is allowed there (above), the metadata service not
    await invalid("Upstream").fill("http://169.254.169.254:80");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await dialog()
      .getByText("169.254.169.254 is a link-local address, which this node does not allow")
      .waitFor();
    await invalid("Upstream").fill("http://127.0.0.1:3000");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await ui.page.getByRole("heading", { name: PROXY, level: 1 }).waitFor();
    ids.proxy = ui.page.url().split("/").pop() ?? "";
    await ui.page.getByText("http://127.0.0.1:3000").waitFor();
    await ui.page.goto(`${ui.panel.url}/sites`);
    await row("Sites", STATIC).waitFor();
    await row("Sites", PROXY).getByText("proxy", { exact: true }).waitFor();
    await ui.page.getByRole("searchbox", { name: "Search sites" }).fill("app.");
    await expect.poll(() => row("Sites", STATIC).count()).toBe(0);
    await row("Sites", PROXY).waitFor();
    await axe();
    await ui.page.goto(`${ui.panel.url}/nodes/${ids.web1}`);
    await row("Sites", STATIC).waitFor();
    await row("Sites", PROXY).waitFor();
    // what the agent reported: OS, disks with how full they are, services
    await ui.page.getByText("Debian GNU/Linux 12 (debian)").waitFor();
    await ui.page.getByText(HOSTILE_ERROR).waitFor();
    expect(await ui.page.locator('img[src="x"]').count()).toBe(0);
    const root = ui.page.getByRole("meter", { name: "Disk / used" });
    expect(await root.getAttribute("aria-valuenow")).toBe("95");
    await row("Services", "nginx").getByText("running").waitFor();
    await row("Services", "php-fpm").getByText("no", { exact: true }).waitFor();
    await axe();
    await ui.page.goto(`${ui.panel.url}/nodes`);
    await row("Nodes", "web-1").getByText("Debian GNU/Linux 12").waitFor();
  });

  it("edits a site with the same form", async () => {
    await ui.page.goto(`${ui.panel.url}/sites/${ids.static}`);
    await ui.page.getByRole("button", { name: "Edit" }).click();
    expect(await invalid("Domains").inputValue()).toBe(`${STATIC}\nwww.${STATIC}`);
    await invalid("Domains").fill(`${STATIC}\nwww.${STATIC}\nextra.example.com`);
    await invalid("Document root").fill("../etc");
    await dialog().getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => invalid("Document root").getAttribute("aria-invalid")).toBe("true");
    await axe();
    await invalid("Document root").fill("web/public");
    await submit("Save changes");
    await ui.page.getByText("extra.example.com").waitFor();
    const site = await apiGet(`/api/v1/sites/${ids.static}`);
    expect(site.domains).toContain("extra.example.com");
    expect(site.root).toBe("web/public");
  });

  it("offers process execution for PHP sites only, off until ticked", async () => {
    await ui.page.getByRole("button", { name: "Edit" }).click();
    const exec = dialog().getByLabel("Let PHP start processes");
    expect(await exec.count()).toBe(0);
    await choose(/^PHP/);
    expect(await exec.isChecked()).toBe(false);
    await exec.check();
    await submit("Save changes");
    await ui.page.getByText("allowed (exec, shell_exec, proc_open…)").waitFor();
    // the PHP site's page too: its node link is not told apart by colour alone
    await axe();
    const site = await apiGet(`/api/v1/sites/${ids.static}`);
    expect(site).toMatchObject({ kind: "php", phpAllowExec: true });
    // static again for the tests below; the option stays as set, and hidden
    await ui.page.getByRole("button", { name: "Edit" }).click();
    await choose(/^Static/);
    expect(await exec.count()).toBe(0);
    await submit("Save changes");
    await ui.page.getByText("Static site on").waitFor();
  });

  it("suspends and resumes a site, suspending after a confirmation", async () => {
    await ui.page.getByRole("button", { name: "Suspend" }).click();
    await confirmDialog().getByText("until you resume it").waitFor();
    await axe();
    await confirmDialog().getByRole("button", { name: "Suspend site" }).click();
    await ui.page.getByRole("button", { name: "Resume" }).waitFor();
    expect((await apiGet(`/api/v1/sites/${ids.static}`)).suspended).toBe(true);
    await ui.page.getByRole("button", { name: "Resume" }).click();
    await ui.page.getByRole("button", { name: "Suspend" }).waitFor();
    expect((await apiGet(`/api/v1/sites/${ids.static}`)).suspended).toBe(false);
  });

  it("deletes a site once its primary name is typed, keeping its files by default", async () => {
    await ui.page.getByRole("button", { name: "Delete" }).click();
    const keep = dialog().getByLabel("Keep the files on the node");
    expect(await keep.isChecked()).toBe(true);
    const remove = dialog().getByRole("button", { name: "Delete site" });
    expect(await remove.isDisabled()).toBe(true);
    await dialog().getByLabel(`Type ${STATIC} to confirm`).fill("static.example");
    expect(await remove.isDisabled()).toBe(true);
    await axe();
    await dialog().getByLabel(`Type ${STATIC} to confirm`).fill(STATIC);
    await remove.click();
    await dialog().waitFor({ state: "detached" });
    // back on the list, with a confirmation of what happens next
    await ui.page.waitForURL(`${ui.panel.url}/sites`);
    await ui.page.getByRole("status").getByText(`Deleting ${STATIC}`).waitFor();
    await row("Sites", STATIC).getByText("deleting", { exact: true }).waitFor();
    expect((await apiGet(`/api/v1/sites/${ids.static}`)).status).toBe("deleting");
    await ui.page.goto(`${ui.panel.url}/sites/${ids.static}`);
    expect(await ui.page.getByRole("button", { name: "Edit" }).isDisabled()).toBe(true);
    expect(ui.dialogs).toEqual([]);
  });
  it("shows an internationalised name in both forms and refuses a look-alike at the field", async () => {
    await ui.page.goto(`${ui.panel.url}/sites`);
    await ui.page.getByRole("button", { name: "New site" }).click();
    await choose(/^Static/);
    // a Kelvin sign would silently become kelvin.example: refused, naming what it becomes
    await invalid("Domains").fill("\u212Aelvin.example");
    await dialog().getByRole("button", { name: "Create site" }).click();
    await expect.poll(() => invalid("Domains").getAttribute("aria-invalid")).toBe("true");
    await dialog().locator("[data-field-error]").getByText("turns into kelvin.example").waitFor();
    await invalid("Domains").fill("Bücher.example");
    await dialog().getByRole("button", { name: "Create site" }).click();
    const both = "bücher.example (xn--bcher-kva.example)";
    await ui.page.getByRole("heading", { name: both, level: 1 }).waitFor();
    const id = ui.page.url().split("/").pop() ?? "";
    expect(await apiGet(`/api/v1/sites/${id}`)).toMatchObject({
      domains: ["xn--bcher-kva.example"],
      domainsUnicode: ["bücher.example"],
    });
    await ui.page.goto(`${ui.panel.url}/sites`);
    await row("Sites", both).waitFor();
    await axe();
    expect(ui.dialogs).toEqual([]);
  });
});
