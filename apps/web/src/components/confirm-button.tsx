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

/**
 * A row's actions: its own (`children`), "Edit", and "Delete" asking first with the record's
 * kind and name ("Delete the rule nightly?"), the error of what failed under them.
 */
export function EditDeleteActions({
  noun,
  name,
  consequence,
  remove,
  onEdit,
  error,
  children,
}: {
  noun: string;
  name: string;
  /** what deleting does, in the confirmation */
  consequence: string;
  remove: ConfirmedMutation & { error: unknown };
  onEdit: () => void;
  /** another action's error, shown when set */
  error?: unknown;
  children?: ReactNode;
}) {
  return (
    <ActionsWithError error={error ?? remove.error}>
      <div className="flex flex-wrap justify-end gap-2">
        {children}
        <Button size="sm" variant="secondary" onClick={onEdit}>
          Edit
        </Button>
        <ConfirmButton
          size="sm"
          variant="danger"
          mutation={remove}
          confirm={{
            title: `Delete the ${noun} ${name}?`,
            description: consequence,
            confirmLabel: `Delete ${noun}`,
          }}
        >
          Delete
        </ConfirmButton>
      </div>
    </ActionsWithError>
  );
}
