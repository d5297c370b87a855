// A task's live log: a scrolling monospace panel that keeps following new lines while the
// reader is at its end (scrolling up stops following until they come back down).
import { useLayoutEffect, useRef } from "react";
import { cn } from "../lib/cn.ts";
import type { TaskEvents } from "../lib/sse.ts";

const time = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

// warnings in the text colour (the warning hue is too light for text), errors in red
const levelClass = {
  info: "text-fg-muted",
  warn: "font-semibold text-fg",
  error: "font-semibold text-danger",
} as const;

const statusText: Record<TaskEvents["status"], string> = {
  connecting: "connecting…",
  open: "live",
  retrying: "connection lost, reconnecting…",
  ended: "finished",
};

/** `className` changes the log's box (its height, say, where it is shown inline). */
export function LogPanel({ events, className }: { events: TaskEvents; className?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const { lines, dropped, status } = events;

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when lines arrive
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <div className="grid gap-2">
      <p className="flex items-center gap-2 text-xs text-fg-muted">
        <span
          aria-hidden="true"
          className={cn(
            "h-2 w-2 rounded-full",
            status === "open" ? "bg-ok" : status === "retrying" ? "bg-warn" : "bg-fg-muted",
          )}
        />
        <span>
          Log stream: {statusText[status]}
          {dropped > 0 ? ` · the first ${dropped} line(s) are not shown` : ""}
        </span>
      </p>
      <div
        ref={box}
        role="log"
        aria-live="polite"
        aria-label="Task log"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 32;
        }}
        className={cn(
          "h-80 overflow-y-auto rounded-md border border-border bg-muted/50 p-3 font-mono text-xs leading-relaxed",
          className,
        )}
      >
        {lines.length === 0 ? (
          <p className="text-fg-muted">
            {status === "ended"
              ? "This task wrote no log lines."
              : "No log lines yet: they appear here as the task writes them."}
          </p>
        ) : (
          lines.map((l) => (
            <div key={l.id} className="flex flex-wrap gap-x-2 sm:flex-nowrap">
              <time dateTime={l.at} className="shrink-0 text-fg-muted tabular-nums">
                {time.format(new Date(l.at))}
              </time>
              <span className={cn("shrink-0 uppercase", levelClass[l.level])}>{l.level}</span>
              <span className="w-full min-w-0 whitespace-pre-wrap break-words [overflow-wrap:anywhere] sm:w-auto sm:flex-1">
                {l.message}
              </span>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
