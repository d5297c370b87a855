// The buttons at the foot of a dialog's form: Cancel, then the one that sends it.
import { Button } from "./ui/button.tsx";

export function FormActions({
  submitLabel,
  busy,
  onCancel,
  danger,
  disabled,
}: {
  submitLabel: string;
  busy: boolean;
  onCancel: () => void;
  danger?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" variant={danger ? "danger" : "primary"} busy={busy} disabled={disabled}>
        {submitLabel}
      </Button>
    </div>
  );
}
