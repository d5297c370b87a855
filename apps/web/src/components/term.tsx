// A term and its value in a description list (<dl>): `stacked`, the label small above its
// value (an audit event's facts); `beside`, the label in a column of its own from sm up (a
// task's facts).
import type { ReactNode } from "react";
import { cn } from "../lib/cn.ts";

const LAYOUTS = {
  stacked: {
    item: "min-w-0",
    label: "text-xs",
    value: "text-sm break-words [overflow-wrap:anywhere]",
  },
  beside: {
    item: "grid gap-0.5 sm:grid-cols-[10rem_1fr] sm:gap-3",
    label: "text-sm",
    value: "min-w-0 text-sm break-words",
  },
};

export function Term({
  label,
  layout,
  children,
}: {
  label: string;
  layout: keyof typeof LAYOUTS;
  children: ReactNode;
}) {
  const classes = LAYOUTS[layout];
  return (
    <div className={classes.item}>
      <dt className={cn(classes.label, "text-fg-muted")}>{label}</dt>
      <dd className={classes.value}>{children}</dd>
    </div>
  );
}
