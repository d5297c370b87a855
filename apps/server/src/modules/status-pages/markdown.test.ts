// Incident bodies rendered for the public page: Markdown's formatting comes through; raw
// HTML, images and links other than http(s)/mailto stay inert text.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown.ts";

describe("incident Markdown", () => {
  it("renders emphasis, lists, code and http(s)/mailto links", () => {
    const html = renderMarkdown(
      "We are **on it**.\n\n- checkout\n- `api`\n\n[details](https://example.com/x) or [mail](mailto:ops@example.com)",
    );
    expect(html).toContain("<strong>on it</strong>");
    expect(html).toContain("<li>checkout</li>");
    expect(html).toContain("<code>api</code>");
    expect(html).toContain(
      '<a href="https://example.com/x" rel="nofollow noopener noreferrer">details</a>',
    );
    expect(html).toContain('<a href="mailto:ops@example.com"');
  });

  it("keeps raw HTML, scripts, images and javascript:/data: links inert", () => {
    const html = renderMarkdown(
      [
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click2](JaVaScRiPt:alert(1))",
        "<javascript:alert(1)>",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "![pic](https://example.com/p.png)",
        "[rel](/relative)",
      ].join("\n\n"),
    );
    expect(html).not.toMatch(/<script|<img|onerror="|href="(?!https?:|mailto:)/i);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("[click](javascript:alert(1))");
    // an image is not loaded: it stays a link to the picture
    expect(html.match(/<a /g)).toHaveLength(1);
    expect(html).toContain('!<a href="https://example.com/p.png"');
  });
});
