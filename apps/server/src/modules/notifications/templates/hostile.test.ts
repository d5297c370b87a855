// Hostile values render inert in every format: as the site name, the summary and an error of
// a real event rendered through the default templates, and through a bare `{{ }}` output.
import {
  type MessageFormat,
  messageFormats,
  sampleEvent,
  templateFormatOf,
} from "@steward/contracts/notifications";
import { HOSTILE_TEXT } from "@steward/contracts/testing";
import { describe, expect, it } from "vitest";
import { defaultTemplate } from "./defaults.ts";
import { escapers, plainValue } from "./escape.ts";
import { render } from "./render.ts";

const cases = HOSTILE_TEXT.flatMap((value) =>
  messageFormats.map((format) => [format, value] as const),
);

/** Undoes each format's escaping: what the reader sees of a value. */
const readerSees: Record<MessageFormat, (output: string) => string> = {
  text: (output) => output,
  markdown: (output) => output.replace(/\\([!-~])/g, "$1"),
  telegram: (output) => output.replace(/\\([!-~])/g, "$1"),
  discord: (output) => output.replace(/\\([!-~])/g, "$1").replaceAll("@\u200b", "@"),
  slack: (output) =>
    output
      .replace(/[＊＿～｀]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&amp;", "&"),
  html: (output) =>
    output
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&amp;", "&"),
};

/** What must not be left in an escaped value, per format. */
const live: Record<MessageFormat, (output: string) => boolean> = {
  text: () => false,
  markdown: (output) => /(^|[^\\])[!-/:-@[-`{-~]/.test(output.replace(/\\[!-~]/g, "")),
  telegram: (output) => /[!-/:-@[-`{-~]/.test(output.replace(/\\[!-~]/g, "")),
  discord: (output) =>
    /[!-/:-@[-`{-~]/.test(output.replace(/\\[!-~]/g, "")) || /@(everyone|here)/.test(output),
  slack: (output) => /[<>*_~`]|&(?!(amp|lt|gt);)/.test(output),
  html: (output) => /[<>"']|&(?!(amp|lt|gt|quot|#39);)/.test(output),
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is checked
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("a hostile value", () => {
  it.each(cases)("is escaped for %s: %j", (format, value) => {
    const output = escapers[format](value);
    expect(live[format](output)).toBe(false);
    expect(output).not.toMatch(controls);
    expect(readerSees[format](output)).toBe(plainValue(value));
  });

  it.each(cases)("renders inert through the default %s template: %j", async (format, value) => {
    const event = sampleEvent("site.failed");
    event.fields.domain = value;
    event.fields.error = value;
    event.summary = value;
    event.target = { type: "site", id: "site_sample", name: value };
    const template = defaultTemplate(event.type, templateFormatOf(format));
    const { subject, body } = await render(template, event, format);
    expect(subject).not.toMatch(controls);
    expect(subject).toContain(plainValue(value).replace(/\s+/g, " ").trim());
    // the value's template syntax was not run, its markup made nothing
    expect(body).not.toContain("evt_sample");
    expect(body).not.toContain("root:");
    if (format === "html") {
      const tags = new Set([...body.matchAll(/<\/?([a-z]+)/g)].map((match) => match[1]));
      expect([...tags].sort()).toEqual(["a", "li", "p", "strong", "ul"]);
      expect(body.match(/href=/g)).toHaveLength(1);
    } else if (format === "slack") {
      expect(body.match(/</g)).toHaveLength(1); // the console link only
    } else if (format !== "text") {
      expect(body.match(/\]\(/g)).toHaveLength(1);
    }
    // a value cannot start a line of its own (a forged "Resolved: ..." line)
    expect(body.split("Error: ")).toHaveLength(2);
    expect(body.split("\n").filter((line) => line.startsWith("Resolved"))).toEqual([]);
  });
});
