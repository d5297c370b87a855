// The button that opens the dialog creating or adding something: a plus and its words.
import { Plus } from "lucide-react";
import { Button } from "./ui/button.tsx";

export function AddButton({
  label,
  onClick,
  size,
}: {
  label: string;
  onClick: () => void;
  size?: "sm" | "md";
}) {
  return (
    <Button size={size} onClick={onClick}>
      <Plus className="h-4 w-4" aria-hidden="true" /> {label}
    </Button>
  );
}
