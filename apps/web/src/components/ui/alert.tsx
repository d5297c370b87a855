import type { ReactNode } from "react";
import { cn } from "../../lib/cn.ts";
import { messageOf } from "../../lib/errors.ts";

const tones = {
  error: "border-danger/40 bg-danger/10 text-danger",
  info: "border-border bg-muted text-fg",
  ok: "border-ok/40 bg-ok/10 text-ok",
  warn: "border-warn/60 bg-warn/15 text-fg",
};

export function Alert({
  tone = "info",
  children,
  className,
}: {
  tone?: keyof typeof tones;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn("rounded-md border px-3 py-2 text-sm", tones[tone], className)}
    >
      {children}
    </div>
  );
}

/** The message of a failed request, when there is one. */
export function ErrorAlert({ error, className }: { error: unknown; className?: string }) {
  if (!error) return null;
  return (
    <Alert tone="error" className={className}>
      {messageOf(error)}
    </Alert>
  );
}
