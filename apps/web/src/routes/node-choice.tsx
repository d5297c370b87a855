// A form's node for something that runs there (an app, a system user): the nodes that can take
// work (trusted, or unreachable for now), the first of them until the user picks another.
import { useState } from "react";
import { Field } from "../components/ui/field.tsx";
import { Select } from "../components/ui/input.tsx";
import { useNodeOptions } from "./hosting-parts.tsx";

export function useNodeChoice() {
  const nodes = useNodeOptions();
  const usable = (nodes.data ?? []).filter(
    (n) => n.state === "trusted" || n.state === "unreachable",
  );
  const [picked, setNode] = useState("");
  return { usable, node: picked || usable[0]?.id || "", setNode };
}

export function NodeField({ choice }: { choice: ReturnType<typeof useNodeChoice> }) {
  return (
    <Field label="Node">
      <Select value={choice.node} onChange={(e) => choice.setNode(e.target.value)}>
        {choice.usable.map((n) => (
          <option key={n.id} value={n.id}>
            {n.name}
          </option>
        ))}
      </Select>
    </Field>
  );
}
