import { MAX_DIGEST_ITEMS, notificationEvent, sampleEvent } from "@steward/contracts/notifications";
import { describe, expect, it } from "vitest";
import { digestEvent } from "./digest.ts";
import { renderMessage } from "./render.ts";

const failedSite = (index: number) => {
  const event = sampleEvent("site.failed");
  event.summary = `site s${index}.example.com failed`;
  event.target = { type: "site", id: `site_${index}`, name: `s${index}.example.com` };
  return event;
};
const node = { type: "node", id: "node_sample", name: "web-1" };

describe("a digest", () => {
  it("makes 60 failed sites on one node one message listing 50 and counting 10 more", async () => {
    const events = Array.from({ length: 60 }, (_, index) => failedSite(index));
    const digest = digestEvent(events, {
      id: "evt_digest",
      occurredAt: "2026-01-15T09:31:00.000Z",
      target: node,
    });
    expect(notificationEvent.parse(digest)).toEqual(digest);
    expect(digest.summary).toBe("Site failed on web-1: 60 events");
    expect(digest.fields).toMatchObject({ groupType: "site.failed", count: 60, more: 10 });
    expect(digest.fields.items).toHaveLength(MAX_DIGEST_ITEMS);
    const message = await renderMessage(digest);
    expect(message.subject).toBe("Site failed on web-1: 60 events");
    expect(message.text).toContain("• site s0.example.com failed\n• site s1.example.com failed");
    expect(message.text).not.toContain("s50.example.com");
    expect(message.text).toContain("• and 10 more");
    expect(message.html.match(/<li>site s\d+\\?.example.com failed<\/li>/g)).toHaveLength(
      MAX_DIGEST_ITEMS,
    );
  });

  it("takes the highest severity, and an account only when every event has the same", () => {
    const warning = { ...failedSite(1), severity: "warning" as const, accountId: "acc_other" };
    const digest = digestEvent([warning, failedSite(2)], {
      id: "evt_digest",
      occurredAt: "2026-01-15T09:31:00.000Z",
    });
    expect(digest.severity).toBe("critical");
    expect(digest.accountId).toBeNull();
    expect(digest.target).toBeNull();
  });

  it("refuses to group nothing, or events of different types", () => {
    const options = { id: "evt_digest", occurredAt: "2026-01-15T09:31:00.000Z" };
    expect(() => digestEvent([], options)).toThrow(/at least one/);
    expect(() => digestEvent([failedSite(1), sampleEvent("monitor.down")], options)).toThrow(
      /one type/,
    );
  });
});
