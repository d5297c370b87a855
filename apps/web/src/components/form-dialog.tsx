// A dialog whose form is mounted only while it is open, so each opening starts afresh. The
// form gets `done`, which closes the dialog (after saving, or on Cancel).
import type { ReactNode } from "react";
import { Dialog, type DialogProps } from "./ui/dialog.tsx";

export function FormDialog({
  open,
  onOpenChange,
  title,
  description,
  children,
}: DialogProps & {
  title: string;
  description?: ReactNode;
  /** the form, given the function that closes the dialog */
  children: (done: () => void) => ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      {open ? children(() => onOpenChange(false)) : null}
    </Dialog>
  );
}
