// The one "shown once" dialog: a form (or nothing) until the secret exists, then the secret
// with what to do with it and "Done". Closing forgets it; the API never shows it again.
// Adding a node, a new enrollment token and a new API key use it.
import type { ReactNode } from "react";
import { ApiForm, type FormMutation } from "./api-form.tsx";
import { Button } from "./ui/button.tsx";
import { Dialog, type DialogProps } from "./ui/dialog.tsx";

/** The form that makes the secret: it sends `mutation`; Cancel closes the dialog. */
export interface SecretForm {
  mutation: FormMutation<undefined>;
  /** the fields whose errors are shown at the fields themselves */
  shown: string[];
  submitLabel: string;
}

export function SecretDialog({
  open,
  onOpenChange,
  title,
  description,
  secret,
  actions,
  form,
  children,
}: DialogProps & {
  /** the dialog's title and description: the form's, or the secret's once it is shown */
  title: string;
  description?: ReactNode;
  /** the secret and how to use it; null while the form is shown */
  secret: ReactNode | null;
  /** more actions beside "Done" while the secret is shown (e.g. a link to what was made) */
  actions?: ReactNode;
  /** the form that makes the secret, whose fields are the children */
  form?: SecretForm;
  children?: ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      {secret !== null ? (
        <div className="grid gap-4">
          {secret}
          <div className="flex flex-wrap justify-end gap-2">
            {actions}
            <Button onClick={() => onOpenChange(false)}>Done</Button>
          </div>
        </div>
      ) : form ? (
        <ApiForm {...form} onCancel={() => onOpenChange(false)}>
          {children}
        </ApiForm>
      ) : null}
    </Dialog>
  );
}
