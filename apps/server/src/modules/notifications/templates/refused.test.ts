// Templates that must be refused, each with a 400 naming the part (subject or body) and
// saying what is wrong: unknown fields, prototype walks, files, unescaped output, loops that
// do not end, templates and outputs that are too large, syntax errors.
import {
  MAX_BODY_LENGTH,
  MAX_TEMPLATE_LENGTH,
  sampleEvent,
} from "@steward/contracts/notifications";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { defaultTemplate } from "./defaults.ts";
import { checkTemplate, render } from "./render.ts";

const subject = "Down: {{ fields.monitorName }}";

const refusedBodies: [string, string, RegExp][] = [
  ["an unknown field", "{{ fields.nodeName }}", /unknown field fields\.nodeName/],
  [
    "an unknown field in a branch not taken",
    "{% if false %}{{ fields.nope }}{% endif %}",
    /unknown field fields\.nope/,
  ],
  ["a prototype key", "{{ fields.__proto__ }}", /unknown field fields\.__proto__/],
  [
    "a constructor walk",
    "{{ fields.monitorName.constructor }}",
    /unknown field fields\.monitorName\.constructor/,
  ],
  ["an inherited property", "{{ event.toString }}", /unknown field event\.toString/],
  ["the raw filter", "{{ fields.monitorName | raw }}", /unknown filter raw/],
  ["an unknown filter", "{{ fields.monitorName | eval }}", /unknown filter eval/],
  ["an include of a file", "{% include '/etc/passwd' %}", /tag include is not allowed/],
  ["a render of a file", "{% render '/etc/passwd' %}", /tag render is not allowed/],
  ["a layout", "{% layout 'x' %}", /tag layout is not allowed/],
  [
    "a loop that does not end",
    "{% for a in (1..100000000) %}{% for b in (1..100000000) %}x{% endfor %}{% endfor %}",
    /limit exceeded/,
  ],
  [
    "an output too large",
    `{% for a in (1..4) %}${"x".repeat(MAX_BODY_LENGTH / 3)}{% endfor %}`,
    /renders to more than/,
  ],
  ["a template too large", "x".repeat(MAX_TEMPLATE_LENGTH + 1), /must be at most 8000 characters/],
  ["an unclosed output", "{{ fields.monitorName ", /not closed \(line 1, column 1\)/],
  ["an unclosed tag", "{% if fields.error %}x", /not closed/],
];

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("a template is refused for", () => {
  it.each(refusedBodies)("%s", async (_what, body, message) => {
    const error = await refusal(checkTemplate({ subject, body }, "monitor.down", "markdown"));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toEqual([{ field: "body", message: expect.stringMatching(message) }]);
  });

  it("an unknown field in the subject, named with the event type", async () => {
    const error = await refusal(
      checkTemplate({ subject: "{{ fields.domain }}", body: "x" }, "monitor.up", "text"),
    );
    expect(error.details).toEqual([
      { field: "subject", message: "unknown field fields.domain for monitor.up events" },
    ]);
  });

  it("an empty subject", async () => {
    const error = await refusal(
      checkTemplate({ subject: "{% comment %}x{% endcomment %}", body: "x" }, "monitor.up", "html"),
    );
    expect(error.details?.[0]?.field).toBe("subject");
  });

  it("a field of a digest item that does not exist, when rendering the sample", async () => {
    const body = "{% for item in fields.items %}{{ item.password }}{% endfor %}";
    const error = await refusal(
      checkTemplate({ subject: "{{ event.summary }}", body }, "notification.digest", "text"),
    );
    expect(error.details).toEqual([
      { field: "body", message: expect.stringMatching(/unknown field item\.password/) },
    ]);
  });

  it("loops nested so deep they do not end in time, though they allocate nothing", async () => {
    const loops = Array.from({ length: 20 }, (_, depth) => `{% for i${depth} in fields.items %}`);
    const body = `${loops.join("")}{% if false %}x{% endif %}${"{% endfor %}".repeat(20)}`;
    const error = await refusal(
      checkTemplate({ subject: "x", body }, "notification.digest", "text"),
    );
    expect(error.details).toEqual([
      { field: "body", message: expect.stringMatching(/render limit exceeded/) },
    ]);
  });

  it("a field read from an event whose own fields carry a prototype key, and nothing is polluted", async () => {
    const event = sampleEvent("monitor.down");
    Object.assign(event.fields, JSON.parse('{"__proto__": {"isAdmin": true}}'));
    const error = await refusal(render({ subject, body: "{{ fields.isAdmin }}" }, event, "text"));
    expect(error.details?.[0]?.message).toMatch(/unknown field fields\.isAdmin/);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe("a template is accepted with", () => {
  it("the standard filters, conditions and loops over its own fields", async () => {
    const body =
      "{% assign name = fields.monitorName | upcase %}{{ name }} {% if fields.responseTimeMs > 1000 %}slow{% endif %}" +
      " {{ fields.monitorTarget | strong }} {{ event.url | link: 'here' }} {{ target.name | size }}";
    await checkTemplate({ subject, body }, "monitor.down", "markdown");
    const { body: text } = await render({ subject, body }, sampleEvent("monitor.down"), "text");
    expect(text).toBe(
      "SHOP.EXAMPLE.COM slow https://shop.example.com/health here: https://panel.example.com/monitors/mon_sample 16",
    );
  });

  it("loop variables, case, indexes and dates", async () => {
    const body =
      "{% for item in fields.items %}{{ forloop.index }} {{ item.targetName }};{% endfor %}" +
      '{% case event.severity %}{% when "warning" %} W{% else %} -{% endcase %}' +
      ' {{ fields.items[1].targetName }} {{ fields.items.first.summary }} {{ event.occurredAt | date: "%Y" }}';
    const template = { subject: "{{ event.title }}", body };
    await checkTemplate(template, "notification.digest", "text");
    const { subject, body: text } = await render(
      template,
      sampleEvent("notification.digest"),
      "text",
    );
    expect(subject).toBe("Grouped events");
    expect(text).toBe(
      "1 shop.example.com;2 blog.example.com;3 wiki.example.com; W blog.example.com site shop.example.com failed 2026",
    );
  });

  it("a filter reading a prototype key, which reads nothing", async () => {
    const body = '{{ fields.items | map: "constructor" | join: "" }}';
    expect(
      (await render({ subject: "x", body }, sampleEvent("notification.digest"), "text")).body,
    ).toBe("");
  });

  it("a link filter that prints only the label for a URL that is not http(s)", async () => {
    const event = sampleEvent("monitor.down");
    event.fields.monitorTarget = "javascript:alert(1)";
    const body = "{{ fields.monitorTarget | link: 'open' }}";
    for (const format of ["markdown", "slack", "html"] as const)
      expect((await render({ subject, body }, event, format)).body).toBe("open");
  });

  it("every default, unchanged", async () => {
    await checkTemplate(defaultTemplate("monitor.down", "html"), "monitor.down", "html");
  });
});
