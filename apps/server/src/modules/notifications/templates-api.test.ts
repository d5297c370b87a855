// Message templates through the API: every event type in every format, an override checked
// and saved, previews rendered by the server for each output format, reset to the default.
import { eventTypes, templateFormats } from "@steward/contracts/notifications";
import { dialects } from "@steward/testkit";
import { describe, expect, it } from "vitest";
import { auditRows } from "../../testing/auth.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

const TEMPLATES = "/api/v1/message-templates";

describe.each(dialects())("message templates on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  const call = (method: string, path: string, body?: unknown) =>
    s.request(method, `${TEMPLATES}${path}`, { key: w.keys.super, body });

  it("lists every event type in every format, the defaults until one is customised", async () => {
    const list = await call("GET", "");
    expect(list.body.items).toHaveLength(eventTypes.length * templateFormats.length);
    expect(list.body.items.filter((t: { customised: boolean }) => t.customised)).toEqual([]);
    const one = await call("GET", "/site.failed/html");
    expect(one.body).toMatchObject({ type: "site.failed", format: "html", customised: false });
    expect(one.body.body).toContain("fields.domain");
  });

  it("saves an override, previews it in each format, and resets it, each change audited", async () => {
    const template = {
      subject: "{{ fields.domain }} is down",
      body: '<b>Down:</b> {{ event.summary }} {{ event.url | link: "open" }}',
    };
    const saved = await call("PUT", "/site.failed/html", template);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ ...template, customised: true });
    expect((await call("GET", "/site.failed/html")).body.customised).toBe(true);

    const stored = await call("POST", "/preview", { type: "site.failed", format: "html" });
    expect(stored.body.subject).toBe("shop.example.com is down");
    expect(stored.body.body).toMatch(/^<b>Down:<\/b> site shop\.example\.com failed/);
    expect(stored.body.body).toContain('<a href="https://');
    // a source given for the preview only, in a Markdown flavour: values escaped for it
    const given = await call("POST", "/preview", {
      type: "site.failed",
      format: "telegram",
      body: "*{{ fields.domain }}*",
    });
    expect(given.body.body).toBe("*shop\\.example\\.com*");

    const reset = await call("DELETE", "/site.failed/html");
    expect(reset.body).toMatchObject({ customised: false, updatedBy: null });
    const actions = (await auditRows(s))
      .filter((row) => row.target_id === "site.failed/html")
      .map((row) => row.action);
    expect(actions).toEqual(["message_template.update", "message_template.reset"]);
  });

  it("refuses a template naming a field its type does not have, saying which part", async () => {
    const res = await call("PUT", "/monitor.up/text", {
      subject: "{{ fields.error }}",
      body: "ok",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe("subject");
    expect(res.body.error.message).toContain("fields.error");
    expect((await call("GET", "/monitor.up/text")).body.customised).toBe(false);
  });
});
