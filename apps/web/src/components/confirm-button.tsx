// A button that asks first (the one confirmation dialog, ui/confirm.tsx) and acts only when
// the person confirms; and the column that shows row actions with the error of what they did.
import type { ReactNode } from "react";
import { ErrorAlert } from "./ui/alert.tsx";
import { Button, type ButtonProps } from "./ui/button.tsx";
import { type ConfirmOptions, useConfirm } from "./ui/confirm.tsx";

/** A mutation without input that a confirmed button runs (busy while it runs). */
interface ConfirmedMutation {
  isPending: boolean;
  mutate: (input: undefined) => void;
}

/** A button that asks first: on yes it calls `onConfirm`, or runs `mutation`. */
export function ConfirmButton({
  confirm: options,
  onConfirm,
  mutation,
  ...rest
}: Omit<ButtonProps, "onClick"> & { confirm: ConfirmOptions } & (
    | { onConfirm: () => void; mutation?: never }
    | { mutation: ConfirmedMutation; onConfirm?: never }
  )) {
  const confirm = useConfirm();
  return (
    <Button
      busy={mutation?.isPending}
      {...rest}
      onClick={async () => {
        if (!(await confirm(options))) return;
        if (mutation) mutation.mutate(undefined);
        else onConfirm?.();
      }}
    />
  );
}

/** Actions lined up at the end, with the error of the one that failed under them. */
export function ActionsWithError({ error, children }: { error: unknown; children: ReactNode }) {
  return (
    <div className="grid justify-items-end gap-1">
      {children}
      <ErrorAlert error={error} />
    </div>
  );
}
