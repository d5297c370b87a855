// The restore wizard's fields for a MongoDB archive: the MongoDB source of the account whose
// deployment receives it (empty: the artifact's own source), a new name for the archive's one
// database (an archive of every database is restored as it is), and whether each collection
// is dropped first.
import { Checkbox, Field } from "../components/ui/field.tsx";
import { Input, Select } from "../components/ui/input.tsx";
import type { Artifact } from "./backup-artifact.tsx";
import { useSourceOptions } from "./backup-parts.tsx";

/** What a MongoDB source of no one database says it dumped. */
export const ALL_DATABASES = "all databases";

export function MongoFields(props: {
  artifact: Artifact;
  sourceId: string;
  setSourceId: (v: string) => void;
  database: string;
  setDatabase: (v: string) => void;
  drop: boolean;
  setDrop: (v: boolean) => void;
}) {
  const sources = useSourceOptions();
  const all = props.artifact.sourceDescription === ALL_DATABASES;
  return (
    <>
      <Field label="MongoDB source" hint="Its deployment receives the archive">
        <Select value={props.sourceId} onChange={(e) => props.setSourceId(e.target.value)}>
          <option value="">The source it was dumped from</option>
          {(sources.data ?? [])
            .filter((s) => s.kind === "mongodb" && s.accountId === props.artifact.accountId)
            .map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
        </Select>
      </Field>
      <Field
        label="Database"
        hint={
          all
            ? "The archive holds every database: they are restored as they are"
            : "Another name restores it renamed"
        }
      >
        <Input
          value={props.database}
          disabled={all}
          onChange={(e) => props.setDatabase(e.target.value)}
        />
      </Field>
      <Checkbox
        label="Drop each collection before restoring it"
        checked={props.drop}
        onChange={props.setDrop}
      />
    </>
  );
}
