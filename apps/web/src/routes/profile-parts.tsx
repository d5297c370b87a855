// Pieces the profile's cards (and first-run setup) share: copying secrets, showing a value
// once.
import { Check, Copy, Download } from "lucide-react";
import { useEffect, useState } from "react";
import { Button } from "../components/ui/button.tsx";
import { cn } from "../lib/cn.ts";
import { saveText } from "../lib/save-text.ts";

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // plain http on another host than localhost has no Clipboard API: the old way
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

/** Copies `text`; says "Copied" for a moment. `label` names what is copied for screen readers. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <Button
      size="sm"
      variant="secondary"
      aria-label={`Copy ${label}`}
      onClick={async () => setState((await writeClipboard(text)) ? "copied" : "failed")}
    >
      {state === "copied" ? (
        <Check className="h-4 w-4" aria-hidden="true" />
      ) : (
        <Copy className="h-4 w-4" aria-hidden="true" />
      )}
      <span aria-live="polite">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
      </span>
    </Button>
  );
}

/** Saves `text` as a file (recovery codes, so they can be stored away). */
export function DownloadButton({ text, filename }: { text: string; filename: string }) {
  return (
    <Button size="sm" variant="secondary" onClick={() => saveText(text, filename)}>
      <Download className="h-4 w-4" aria-hidden="true" />
      Download
    </Button>
  );
}

/** A secret or code shown for copying: monospaced, wrapping anywhere, never overflowing. */
export function SecretValue({
  value,
  label,
  className,
}: {
  value: string;
  label: string;
  className?: string;
}) {
  return (
    <figure className={cn("grid gap-1", className)}>
      <figcaption className="text-xs font-medium text-fg-muted">{label}</figcaption>
      <div className="flex items-start gap-2">
        <code className="min-w-0 flex-1 rounded-md border border-border bg-muted px-3 py-2 font-mono text-sm break-all">
          {value}
        </code>
        <CopyButton text={value} label={label} />
      </div>
    </figure>
  );
}

/** Recovery codes with the advice to keep them, and ways to copy or save them. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const text = codes.join("\n");
  return (
    <div className="grid gap-2">
      <p className="text-sm">
        Recovery codes let you sign in when you do not have your authenticator app. Each works once.
        Store them somewhere safe, such as a password manager: they are not shown again.
      </p>
      <ul
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-x-4 gap-y-1 rounded-md border border-border bg-muted px-3 py-2 font-mono text-sm"
      >
        {codes.map((c) => (
          <li key={c} className="break-all">
            {c}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={text} label="recovery codes" />
        <DownloadButton text={`${text}\n`} filename="steward-recovery-codes.txt" />
      </div>
    </div>
  );
}
