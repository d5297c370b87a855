import {
  eventTypes,
  messageFormats,
  renderedMessage,
  sampleEvent,
  templateFormatOf,
  templateFormats,
} from "@steward/contracts/notifications";
import { describe, expect, it } from "vitest";
import { defaultTemplate } from "./defaults.ts";
import { checkTemplate, preview, render, renderBody, renderMessage } from "./render.ts";

const everyTypeAndFormat = eventTypes.flatMap((type) =>
  messageFormats.map((format) => [type, format] as const),
);

/** Telegram MarkdownV2 refuses a message with one of these unescaped outside an entity. */
const telegramReserved = /[_[\]()~`>#+\-=|{}.!\\]/;

describe("the default templates", () => {
  it.each(everyTypeAndFormat)("render the sample %s event in %s", async (type, format) => {
    const { subject, body } = await preview(type, format);
    expect(subject.length).toBeGreaterThan(0);
    expect(subject).not.toMatch(/[\n{}%]/);
    // the summary is in every body, escaped for the format (the plain text one is verbatim)
    if (format === "text") expect(body).toContain(sampleEvent(type).summary);
    expect(body).not.toMatch(/\{\{|\{%/);
  });

  it.each(eventTypes)(
    "pass the checks a saved %s template passes, in every format",
    async (type) => {
      for (const format of templateFormats)
        await checkTemplate(defaultTemplate(type, format), type, format);
    },
  );

  it.each(eventTypes)("make a valid rendered message of a %s event", async (type) => {
    const message = renderedMessage.parse(await renderMessage(sampleEvent(type)));
    expect(message.severity).toBe(sampleEvent(type).severity);
    expect(message.url).toBe(sampleEvent(type).url);
    expect(message.html).toContain("<strong>");
  });

  it.each(eventTypes)("render %s for Telegram as valid MarkdownV2", async (type) => {
    const body = await renderBody(sampleEvent(type), "telegram");
    // a link's URL part and escaped characters are allowed; nothing else reserved remains
    const rest = body
      .replace(/\]\(https?:\/\/[^)\\]+\)/g, "]")
      .replace(/\\[!-~]/g, "")
      .replace(/\[[^\]]*\]/g, "");
    expect(rest).not.toMatch(telegramReserved);
    expect((rest.match(/\*/g) ?? []).length % 2).toBe(0);
  });

  it("leave out a line whose field is null, and the link when there is no URL", async () => {
    const event = sampleEvent("monitor.down");
    event.fields.responseTimeMs = null;
    event.url = null;
    const { body } = await render(defaultTemplate("monitor.down", "text"), event, "text");
    expect(body).not.toContain("Response time");
    expect(body).not.toContain("Open in Steward");
    expect(body).toContain("Error: expected status 200, got 502");
  });

  it("list a digest's items in one message, and count the ones beyond the list", async () => {
    const event = sampleEvent("notification.digest");
    event.fields.more = 47;
    event.fields.count = 50;
    for (const format of messageFormats) {
      const { body } = await render(
        defaultTemplate(event.type, templateFormatOf(format)),
        event,
        format,
      );
      expect(body.match(/wiki/g)).toHaveLength(1);
      expect(body).toContain("47");
    }
    const html = (await renderMessage(event)).html;
    expect(html.match(/<li>/g)).toHaveLength(5); // the count, three items, "and 47 more"
  });
});
