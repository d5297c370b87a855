// The public status page as HTML, rendered here with every value escaped (incident bodies are
// Markdown, rendered safely by markdown.ts): no console bundle, no script, no cookie; the bars'
// colours and the words for screen readers in the markup.
import type { PublicStatus } from "@steward/contracts/status-pages";
import { renderMarkdown } from "./markdown.ts";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const STATE_WORDS: Record<string, string> = {
  up: "Operational",
  degraded: "Degraded",
  down: "Down",
  pending: "Not checked yet",
  paused: "Paused",
};

const tone = (uptime: number | null) =>
  uptime === null ? "none" : uptime >= 100 ? "up" : uptime >= 95 ? "warn" : "down";
const percent = (uptime: number | null) =>
  uptime === null ? "no checks" : `${Math.round(uptime * 100) / 100}% up`;

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f7f8fa;color:#1d2330}
main{max-width:860px;margin:0 auto;padding:32px 16px}h1{font-size:28px;margin:0 0 4px}
.desc{color:#4f5869;white-space:pre-wrap}section{background:#fff;border:1px solid #e2e5ea;border-radius:8px;padding:16px;margin-top:16px}
.row{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap}.state{font-weight:600}
.s-up{color:#1d7a46}.s-degraded{color:#8a5a00}.s-down{color:#b42318}.s-pending,.s-paused{color:#4f5869}
ol{display:flex;gap:1px;height:28px;list-style:none;margin:8px 0 0;padding:0}li{flex:1;border-radius:2px}
.b-up{background:#2e9d5b}.b-warn{background:#d49b1d}.b-down{background:#d0453b}.b-none{background:#dfe2e7}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.inc{margin:4px 0 0}.inc p{margin:6px 0}a{color:#1f5fbf}.meta{color:#4f5869;font-size:13px}
@media (prefers-color-scheme:dark){body{background:#14171c;color:#e6e8ec}section{background:#1b1f26;border-color:#2d333d}
.desc,.meta,.s-pending,.s-paused{color:#a3abb8}a{color:#7fb0ff}.b-none{background:#363c47}.s-up{color:#5cc98a}.s-degraded{color:#e5b547}.s-down{color:#f0786e}}`;

function monitorHtml(m: PublicStatus["monitors"][number]): string {
  const bars = m.days
    .map(
      (d) =>
        `<li class="b-${tone(d.uptime)}" title="${d.day}: ${percent(d.uptime)}"><span class="sr">${d.day}: ${percent(d.uptime)}</span></li>`,
    )
    .join("");
  return `<section><div class="row"><h2 style="font-size:17px;margin:0">${escapeHtml(m.name)}</h2>
<span class="state s-${m.state}">${STATE_WORDS[m.state] ?? m.state}</span></div>
<div class="meta">${percent(m.uptime90d)} over 90 days</div>
<ol aria-label="${escapeHtml(m.name)}: uptime, last 90 days">${bars}</ol></section>`;
}

function incidentHtml(i: PublicStatus["incidents"][number]): string {
  const when = i.resolvedAt ? `${i.startedAt} – resolved ${i.resolvedAt}` : `since ${i.startedAt}`;
  return `<section><div class="row"><h3 style="margin:0;font-size:16px">${escapeHtml(i.title)}</h3>
<span class="meta">${escapeHtml(i.severity)}${i.resolvedAt ? "" : ", ongoing"}</span></div>
<div class="meta">${escapeHtml(when)}</div><div class="inc">${renderMarkdown(i.body)}</div></section>`;
}

export function renderStatusHtml(status: PublicStatus): string {
  const incidents = status.incidents.length
    ? `<h2 style="margin-top:32px">Incidents</h2>${status.incidents.map(incidentHtml).join("")}`
    : "";
  const monitors = status.monitors.length
    ? status.monitors.map(monitorHtml).join("")
    : "<section>Nothing is listed on this page yet.</section>";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(status.title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(status.title)}</h1><p class="desc">${escapeHtml(status.description)}</p>
${monitors}${incidents}<p class="meta">Updated ${escapeHtml(status.generatedAt)}</p></main></body></html>`;
}
