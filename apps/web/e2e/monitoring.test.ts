// Monitors, rules and a channel's delivery log through the console, against one real panel
// (its scheduler running) and a local HTTP server the monitor checks (reached as the
// installation's allow list of 127.0.0.1 lets it): a monitor made through the form (a target
// the policy refuses said at the URL field) goes up on its first check, "check now" fills its
// sparkline, a failing target marks a down check; a heartbeat monitor shows its push URL once;
// pausing, resuming and deleting after a confirmation naming it. Then a rule made through its
// form (a bad quiet hour said at its field) sending monitor events to a webhook channel, the
// emergency contact set, and the channel's delivery log showing the message the monitor's
// recovery sent, with the request and the receiver's answer.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

let failing = false;
const hooks: string[] = [];
const target = createServer((req, res) => {
  if (req.url === "/hook") {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      hooks.push(body);
      res.writeHead(200, { "content-type": "text/plain" }).end("hook received");
    });
    return;
  }
  res.writeHead(failing ? 503 : 200, { "content-type": "text/plain" }).end("shop is open");
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => target.close(resolve)));

describeConsole("monitoring in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
    timeout: 120_000,
  });
  const { dialog, row, axe } = onPage(ui);
  const field = (label: string) => dialog().getByLabel(label, { exact: true });
  const shop = () => row("Monitors", "shop front");
  const sparkline = () => shop().getByRole("img", { name: /^Recent checks/ });

  it("makes an HTTP monitor through the form that goes up, its sparkline filled by checks", async () => {
    await ui.page.goto(`${ui.panel.url}/monitors`);
    await ui.page.getByText("No monitors yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "New monitor" }).click();
    await field("Name").fill("shop front");
    await field("URL").fill("http://169.254.169.254/latest");
    await field("Keyword (optional)").fill("open");
    await dialog().getByRole("button", { name: "Create monitor" }).click();
    await expect.poll(() => field("URL").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("link-local").waitFor();
    await axe();
    await field("URL").fill(`${base}/health`);
    await field("Interval (s)").fill("20");
    await dialog().getByRole("button", { name: "Create monitor" }).click();
    await dialog().waitFor({ state: "detached" });

    // the scheduler checks a new monitor at once; the list refreshes itself
    await shop().getByText("up", { exact: true }).waitFor({ timeout: 30_000 });
    await shop().getByText(`${base}/health`).waitFor();
    for (let n = 0; n < 2; n++) {
      await shop().getByRole("button", { name: "Check now" }).click();
      await dialog().getByText("answered 200").waitFor();
      await ui.page.keyboard.press("Escape");
    }
    await expect
      .poll(async () => Number(await sparkline().getAttribute("data-checks")))
      .toBeGreaterThanOrEqual(3);
    expect(await sparkline().locator("[data-down]").count()).toBe(0);

    failing = true;
    await shop().getByRole("button", { name: "Check now" }).click();
    await dialog().getByText("down", { exact: true }).waitFor();
    await ui.page.keyboard.press("Escape");
    await shop().getByText("down", { exact: true }).waitFor();
    await expect.poll(() => sparkline().locator("[data-down]").count()).toBe(1);
    expect(await sparkline().getAttribute("aria-label")).toMatch(/1 down/);
    // it stays down until a rule is there to send its recovery (the last test)
    await axe();
  });

  it("filters the list by state and name", async () => {
    await ui.page.getByLabel("State").selectOption("up");
    await ui.page.getByText("Nothing matches these filters.").waitFor();
    await ui.page.getByLabel("State").selectOption("down");
    await shop().waitFor();
    await ui.page.getByRole("button", { name: "Clear filters" }).click();
    await ui.page.getByLabel("Search monitors").fill("nothing like it");
    await ui.page.getByText("Nothing matches these filters.").waitFor();
    await ui.page.getByRole("button", { name: "Clear filters" }).click();
    await shop().waitFor();
  });

  it("shows a new heartbeat monitor's push URL once, pauses, resumes and deletes", async () => {
    await ui.page.getByRole("button", { name: "New monitor" }).click();
    await field("Name").fill("nightly backup");
    await dialog().getByLabel("Kind").selectOption("heartbeat");
    await dialog().getByRole("button", { name: "Create monitor" }).click();
    await dialog().getByRole("heading", { name: "The heartbeat's address" }).waitFor();
    const curl = (await dialog().locator("pre").nth(1).textContent()) ?? "";
    const url = /https?:\/\/\S+\/api\/v1\/heartbeat\/\S+/.exec(curl)?.[0] ?? "";
    expect(curl).toMatch(/^curl .* -X POST http/);
    const ping = await fetch(url.replace("localhost", "127.0.0.1"), { method: "POST" });
    expect(ping.status).toBe(204);
    await dialog().getByRole("button", { name: "Done" }).click();
    await dialog().waitFor({ state: "detached" });

    const backup = () => row("Monitors", "nightly backup");
    await backup().getByRole("button", { name: "Pause" }).click();
    await backup().getByText("paused", { exact: true }).waitFor();
    await backup().getByRole("button", { name: "Resume" }).click();
    await backup().getByRole("button", { name: "Pause" }).waitFor();
    await backup().getByRole("button", { name: "Delete" }).click();
    const confirm = ui.page.getByRole("alertdialog");
    await confirm.getByText("Delete the monitor nightly backup?").waitFor();
    await confirm.getByRole("button", { name: "Delete monitor" }).click();
    await backup().waitFor({ state: "detached" });
    expect(ui.dialogs).toEqual([]);
  });

  it("makes a rule through its form and sets the emergency contact", async () => {
    const hook = await ui.panel.api("POST", "/api/v1/notification-channels", {
      key: ui.key,
      body: {
        name: "ops hook",
        settings: { kind: "webhook", url: `${base}/hook`, secret: "whsec_0123456789abcdef" },
      },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    await ui.page.goto(`${ui.panel.url}/rules`);
    await ui.page.getByText("No rules yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "New rule" }).click();
    await field("Name").fill("monitors to ops");
    await dialog().getByLabel("ops hook").check();
    await field("From").fill("25:00");
    await field("To").fill("07:00");
    await dialog().getByRole("button", { name: "Create rule" }).click();
    await expect.poll(() => field("From").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("HH:MM").waitFor();
    await axe();
    await field("From").fill("");
    await field("To").fill("");
    await field("Group (seconds)").fill("0");
    await dialog().getByRole("button", { name: "Create rule" }).click();
    await dialog().waitFor({ state: "detached" });
    const ruleRow = () => row("Notification rules", "monitors to ops");
    await ruleRow().getByText("monitor.*; info and above").waitFor();
    await ruleRow().getByText("ops hook").waitFor();
    await ruleRow().getByRole("button", { name: "Disable" }).click();
    await ruleRow().getByText("disabled", { exact: true }).waitFor();
    await ruleRow().getByRole("button", { name: "Enable" }).click();
    await ruleRow().getByText("enabled", { exact: true }).waitFor();

    await ui.page.getByLabel("Emergency channel").selectOption({ label: "ops hook" });
    await ui.page.getByRole("button", { name: "Save contact" }).click();
    await ui.page.getByRole("button", { name: "Saved" }).waitFor();
    const settings = await ui.panel.api("GET", "/api/v1/notification-settings", { key: ui.key });
    expect(settings.body.emergencyChannel).toBe(hook.body.id);
  });

  it("shows the channel's delivery log with the request and the receiver's answer", async () => {
    // the monitor (down since the first test) recovers: monitor.up, sent by the rule
    const monitors = await ui.panel.api("GET", "/api/v1/monitors?q=shop", { key: ui.key });
    const id = monitors.body.items[0].id;
    failing = false;
    const checked = await ui.panel.api("POST", `/api/v1/monitors/${id}/check`, { key: ui.key });
    expect(checked.body.outcome).toBe("up");
    await expect.poll(() => hooks.length, { timeout: 30_000 }).toBeGreaterThan(0);

    await ui.page.goto(`${ui.panel.url}/channels`);
    await row("Notification channels", "ops hook")
      .getByRole("link", { name: "Deliveries" })
      .click();
    await ui.page.getByRole("heading", { name: "Deliveries to ops hook" }).waitFor();
    const delivery = () => row("Deliveries", "monitor.up");
    await delivery().getByText("sent", { exact: true }).waitFor();
    await delivery().getByText("Request and answer").click();
    await delivery().getByText("hook received").waitFor();
    await delivery().getByText(`${base}/hook`).waitFor();
    expect(await delivery().textContent()).not.toContain("whsec_0123456789abcdef");
    await axe();
    await ui.page.getByLabel("State").selectOption("failed");
    await ui.page.getByText("Nothing matches these filters.").waitFor();
    expect(ui.dialogs).toEqual([]);
  });
});
