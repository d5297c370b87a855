// Incident notes are Markdown (CommonMark, by markdown-it), rendered for the public page with
// raw HTML off (a `<script>` is text), no images (a page's visitors load nothing from
// elsewhere) and links only to http(s) and mailto: a `javascript:` or `data:` link stays the
// text it was written as. Links get rel="nofollow noopener noreferrer".
import MarkdownIt from "markdown-it";

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

const md = new MarkdownIt("default", { html: false, linkify: false, typographer: false });
md.disable(["image"]);
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  tokens[index]?.attrSet("rel", "nofollow noopener noreferrer");
  return self.renderToken(tokens, index, options);
};

/** An incident's body as HTML for the public page: safe to put in as it is. */
export const renderMarkdown = (text: string): string => md.render(text);
