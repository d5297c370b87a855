// Message templates (issue 12): the sandboxed engine, escaping per output format, the
// default template of each event type, rendering, previews and the checks before saving.
export { defaultTemplate } from "./defaults.ts";
export { type DigestOptions, digestEvent } from "./digest.ts";
export { escapers } from "./escape.ts";
export {
  checkTemplate,
  preview,
  type RenderedTemplate,
  render,
  renderBody,
  renderMessage,
  type TemplateOverrides,
} from "./render.ts";
