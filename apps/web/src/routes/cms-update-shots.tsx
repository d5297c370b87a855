// An update's visual check in the site's update history (docs/cms.md#the-visual-check): the %
// of the home page's pixels it changed against the threshold, and its three screenshots
// (before and after side by side, the diff under them: changed pixels in red) on demand.
import { Button } from "../components/ui/button.tsx";

interface Visual {
  percent: number | null;
  threshold: number;
  shots: boolean;
}

export const visualText = (v: Visual) =>
  v.percent === null ? "visual check skipped" : `${v.percent}% changed (max ${v.threshold}%)`;

export function ShotsToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  return (
    <Button size="sm" variant="ghost" aria-expanded={open} onClick={onToggle}>
      {open ? "Hide screenshots" : "Screenshots"}
    </Button>
  );
}

const KINDS = [
  { kind: "before", label: "Before the update" },
  { kind: "after", label: "After the update" },
  { kind: "diff", label: "Difference (changed pixels in red)" },
] as const;

/** The table row under an update with its three images, each opening full size in a new tab. */
export function ShotsRow({
  siteId,
  entry,
}: {
  siteId: string;
  entry: { id: string; slug: string; to: string | null };
}) {
  const url = (kind: string) =>
    `/api/v1/cms-sites/${encodeURIComponent(siteId)}/history/${encodeURIComponent(entry.id)}/shots/${kind}`;
  return (
    <tr className="align-top">
      <td colSpan={4} className="pb-3">
        <div className="grid grid-cols-2 gap-3">
          {KINDS.map(({ kind, label }) => (
            <figure key={kind} className={kind === "diff" ? "col-span-2 grid gap-1" : "grid gap-1"}>
              <a href={url(kind)} target="_blank" rel="noreferrer">
                <img
                  src={url(kind)}
                  alt={`${label}: the home page, ${entry.slug} ${entry.to ?? ""}`}
                  width={1280}
                  height={800}
                  className="h-auto w-full rounded-md border border-border bg-white"
                  loading="lazy"
                />
              </a>
              <figcaption className="text-xs text-fg-muted">{label}</figcaption>
            </figure>
          ))}
        </div>
      </td>
    </tr>
  );
}
