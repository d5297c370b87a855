// Where success toasts appear: bottom right, announced politely, each closable.
import { CheckCircle2, X } from "lucide-react";
import { dismissToast, useToasts } from "../lib/toast.ts";
import { Button } from "./ui/button.tsx";

export function Toasts() {
  const toasts = useToasts();
  return (
    <div
      role="status"
      aria-live="polite"
      className="pointer-events-none fixed right-4 bottom-4 z-50 grid w-80 max-w-[calc(100vw-2rem)] gap-2"
    >
      {toasts.map((t) => (
        <div
          key={t.id}
          className="pointer-events-auto flex items-start gap-2 rounded-md border border-ok/40 bg-surface px-3 py-2 text-sm shadow-lg"
        >
          <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0 text-ok" aria-hidden="true" />
          <span className="min-w-0 flex-1 wrap-anywhere">{t.message}</span>
          <Button
            variant="ghost"
            size="icon"
            className="h-6 w-6"
            aria-label="Dismiss"
            onClick={() => dismissToast(t.id)}
          >
            <X className="h-3.5 w-3.5" aria-hidden="true" />
          </Button>
        </div>
      ))}
    </div>
  );
}
