// The real `steward` CLI as a child process: notification rules (add, list, show, update,
// remove, an error naming the option) and a channel's delivery log.
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, type Page, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface RuleJson {
  id: string;
  name: string;
  enabled: boolean;
  settings: { eventTypes: string[]; groupSeconds: number };
  channels: { id: string; name: string }[];
}

describe("steward rule", { timeout: 240_000 }, () => {
  it("adds, lists, updates and removes a rule; a channel's deliveries", async () => {
    const c = cliFor(undefined, {});
    const hook = await c.json<{ id: string }>([
      "channel",
      "add",
      "--name",
      "ops",
      "--kind",
      "ntfy",
      "--settings",
      '{"topic":"steward"}',
    ]);
    const settings = JSON.stringify({ eventTypes: ["site."], groupSeconds: 30 });
    const rule = await c.json<RuleJson>([
      "rule",
      "add",
      "--name",
      "sites",
      "--settings",
      settings,
      "--channel",
      hook.id,
    ]);
    expect(rule).toMatchObject({
      name: "sites",
      enabled: true,
      settings: { eventTypes: ["site."], groupSeconds: 30 },
      channels: [{ id: hook.id, name: "ops" }],
    });
    const [list, shown] = await Promise.all([
      c.json<Page<RuleJson>>(["rule", "list"]),
      c.json<RuleJson>(["rule", "show", rule.id]),
    ]);
    expect(list.items.map((r) => r.id)).toEqual([rule.id]);
    expect(shown.id).toBe(rule.id);
    const changed = await c.json<RuleJson>(["rule", "update", rule.id, "--disable"]);
    expect(changed.enabled).toBe(false);
    const bad = await c.fails(
      [
        "rule",
        "add",
        "--name",
        "x",
        "--settings",
        '{"eventTypes":["site."],"quietHours":{"start":"22:00","end":"07:00","timeZone":"Mars/Base"}}',
        "--channel",
        hook.id,
      ],
      2,
    );
    expect(bad).toContain("--settings quietHours.timeZone");
    const deliveries = await c.json<Page<unknown>>(["channel", "deliveries", hook.id]);
    expect(deliveries.items).toEqual([]);
    await c.ok(["rule", "remove", rule.id, "--yes"]);
    expect((await c.json<Page<RuleJson>>(["rule", "list"])).items).toEqual([]);
  });
});
