// A compose app's stack on its page: its services with their images, its named volumes (what
// "Remove" keeps or deletes) and the file as it was given (`${VAR}` unresolved).
import { Card } from "../components/ui/card.tsx";
import type { AppInfo } from "./apps-parts.tsx";

export function ComposeFileCard({ compose }: { compose: NonNullable<AppInfo["compose"]> }) {
  return (
    <Card title="Compose stack">
      <dl className="grid gap-2 text-sm md:grid-cols-2">
        <div>
          <dt className="text-fg-muted">Services</dt>
          <dd>
            <ul>
              {compose.services.map((s) => (
                <li key={s.name}>
                  <span className="font-medium">{s.name}</span>{" "}
                  <span className="font-mono text-xs">{s.image ?? "(built)"}</span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt className="text-fg-muted">Named volumes</dt>
          <dd className="font-mono text-xs">{compose.volumes.join(", ") || "none"}</dd>
        </div>
      </dl>
      <details className="mt-3">
        <summary className="cursor-pointer text-sm font-medium">Compose file</summary>
        <pre className="mt-2 overflow-x-auto rounded bg-muted p-3 font-mono text-xs">
          {compose.file}
        </pre>
      </details>
    </Card>
  );
}
