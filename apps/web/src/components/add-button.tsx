// The button that opens the dialog creating or adding something: a plus and its words. With
// `can`, it is offered only to those GET /api/v1/me says may do it.
import { Plus } from "lucide-react";
import { type Me, useMe } from "../lib/session.ts";
import { Button } from "./ui/button.tsx";

export function AddButton({
  label,
  onClick,
  size,
  can,
}: {
  label: string;
  onClick: () => void;
  size?: "sm" | "md";
  can?: keyof Me["can"];
}) {
  const me = useMe();
  if (can && !me.can[can]) return null;
  return (
    <Button size={size} onClick={onClick}>
      <Plus className="h-4 w-4" aria-hidden="true" /> {label}
    </Button>
  );
}
