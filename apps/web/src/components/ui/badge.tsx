import type { ReactNode } from "react";
import { cn } from "../../lib/cn.ts";

// Text stays in the page's foreground colour (readable in both themes); the tone is the dot
// and a tinted background.
const tones = {
  neutral: ["bg-muted", "bg-fg-muted"],
  ok: ["bg-ok/15", "bg-ok"],
  warn: ["bg-warn/20", "bg-warn"],
  danger: ["bg-danger/15", "bg-danger"],
  info: ["bg-primary/15", "bg-primary"],
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "neutral", children }: { tone?: BadgeTone; children: ReactNode }) {
  const [bg, dot] = tones[tone];
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap text-fg",
        bg,
      )}
    >
      <span aria-hidden="true" className={cn("h-1.5 w-1.5 rounded-full", dot)} />
      {children}
    </span>
  );
}
