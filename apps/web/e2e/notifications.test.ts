// Notification channels and message templates through the console, against a real panel and a
// local receiver (reached as an installation's allow list of 127.0.0.1 lets it): a webhook
// channel made through the form (targets the policy refuses said at the URL field), its test
// sent and the receiver's answer shown, its secret write-only and kept through an edit, then
// deleted after confirming; a template edited with the server's live preview, saved and reset.
// The channel's name is hostile markup: it must stay text.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeConsole, onPage, useConsole } from "./harness-console.ts";

const HOSTILE = '<img src=x onerror="window.pwned=1"> ops';
const SECRET = "whsec_0123456789abcdef";
const received: { url: string; signature: string }[] = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.push({ url: req.url ?? "", signature: String(req.headers["x-steward-signature"]) });
    res.writeHead(200, { "content-type": "text/plain" }).end("received, thanks");
  });
});
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

describeConsole("notifications in the console", { timeout: 120_000 }, () => {
  const ui = useConsole({
    panel: { env: { STEWARD_LOCAL_AGENT: "0", STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32" } },
    signIn: true,
  });
  const { dialog, row, axe } = onPage(ui);
  const field = (label: string) => dialog().getByLabel(label, { exact: true });

  it("makes a webhook channel, refusing what its policy does not allow, and sends it a test", async () => {
    await ui.page.goto(`${ui.panel.url}/channels`);
    await ui.page.getByText("No channels yet.").waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "New channel" }).click();
    await field("Name").fill(HOSTILE);
    await dialog().getByLabel("Kind").selectOption("webhook");
    await field("URL").fill("http://169.254.169.254/latest");
    await field("Signing secret").fill("short");
    await dialog().getByRole("button", { name: "Create channel" }).click();
    await expect.poll(() => field("Signing secret").getAttribute("aria-invalid")).toBe("true");
    await axe();
    await field("Signing secret").fill(SECRET);
    await dialog().getByRole("button", { name: "Create channel" }).click();
    await expect.poll(() => field("URL").getAttribute("aria-invalid")).toBe("true");
    await dialog().getByText("link-local").waitFor();
    await field("URL").fill(`${base}/hook`);
    await dialog().getByRole("button", { name: "Create channel" }).click();
    await dialog().waitFor({ state: "detached" });

    await row("Notification channels", HOSTILE).getByRole("button", { name: "Send test" }).click();
    await dialog().getByText("delivered").waitFor();
    await dialog().getByText("Provider's status: 200").waitFor();
    await dialog().getByText("received, thanks").waitFor();
    expect(await dialog().textContent()).not.toContain(SECRET);
    await axe();
    expect(received.at(-1)?.signature).toMatch(/^sha256=/);
    await ui.page.keyboard.press("Escape");
    expect(ui.dialogs).toEqual([]);
  });

  it("keeps the secret through an edit that leaves it empty, then deletes after confirming", async () => {
    await row("Notification channels", HOSTILE).getByRole("button", { name: "Edit" }).click();
    await dialog().getByText("Set: leave empty to keep it").first().waitFor();
    expect(await field("Signing secret").inputValue()).toBe("");
    await field("URL").fill(`${base}/moved`);
    await dialog().getByRole("button", { name: "Save" }).click();
    await dialog().waitFor({ state: "detached" });
    await row("Notification channels", HOSTILE).getByRole("button", { name: "Send test" }).click();
    await dialog().getByText("delivered").waitFor();
    expect(received.at(-1)?.url).toBe("/moved");
    await ui.page.keyboard.press("Escape");

    await row("Notification channels", HOSTILE).getByRole("button", { name: "Delete" }).click();
    await ui.page.getByRole("alertdialog").getByRole("button", { name: "Delete channel" }).click();
    await ui.page.getByText("No channels yet.").waitFor();
  });

  it("edits a template with the server's preview, saves it and resets it", async () => {
    await ui.page.goto(`${ui.panel.url}/templates`);
    await ui.page.getByLabel("Event type").selectOption("monitor.down");
    const body = ui.page.getByLabel("Body", { exact: true });
    await body.fill("{{ fields.nodeName }}");
    await ui.page.getByText("fields.nodeName").last().waitFor();
    await body.fill("Down since {{ event.occurredAt }}: {{ fields.monitorName }}");
    await ui.page.getByTestId("preview-body").getByText("shop.example.com").waitFor();
    await ui.page.getByRole("button", { name: "Save template" }).click();
    await ui.page.getByText("customised", { exact: true }).waitFor();
    await axe();
    await ui.page.getByRole("button", { name: "Reset" }).click();
    await ui.page
      .getByRole("alertdialog")
      .getByRole("button", { name: "Reset to default" })
      .click();
    await ui.page.getByText("default", { exact: true }).waitFor();
    expect(ui.dialogs).toEqual([]);
  });
});
