// Where a monitor is checked from: the panel and/or nodes (a box each), and the quorum (blank:
// a majority of them). The API refuses a node the monitor's account does not use, at
// `locations`; a quorum above the number of locations, at `quorum`.
import { useId } from "react";
import { useFieldError } from "../components/api-form.tsx";
import { TextField } from "../components/text-field.tsx";
import { Checkbox, FieldNotes } from "../components/ui/field.tsx";
import { useNodeOptions } from "./hosting-parts.tsx";

export function LocationsField({
  locations,
  onLocations,
  quorum,
  onQuorum,
}: {
  locations: string[];
  onLocations: (next: string[]) => void;
  quorum: string;
  onQuorum: (next: string) => void;
}) {
  const nodes = useNodeOptions();
  const id = useId();
  const error = useFieldError("locations");
  const options = [
    { id: "panel", name: "The panel" },
    ...(nodes.data ?? []).filter((n) => n.state !== "revoked"),
  ];
  const toggle = (id: string, on: boolean) =>
    onLocations(on ? [...locations, id] : locations.filter((l) => l !== id));
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      <fieldset className="grid gap-1.5 sm:col-span-2" aria-describedby={`${id}-hint`}>
        <legend className="text-sm font-medium">Checked from</legend>
        {options.map((o) => (
          <Checkbox
            key={o.id}
            label={o.name}
            checked={locations.includes(o.id)}
            onChange={(on) => toggle(o.id, on)}
          />
        ))}
        <FieldNotes id={id} hint="Down only when the quorum of these sees it down." error={error} />
      </fieldset>
      <TextField
        label="Quorum"
        field="quorum"
        type="number"
        min={1}
        hint="Blank: a majority."
        value={quorum}
        onValue={onQuorum}
      />
    </div>
  );
}
