// A plan's actions for its account's admins: Edit (backup-plan-edit.tsx), the recovery kit and
// delete after typing the plan's name. A `panel` plan's recovery kit (its private key with
// instructions, so its artifacts open without the panel) is taken once after a confirmation
// that says so, downloaded as a text file; again only with a reason, which the audit log keeps.
import { KeyRound } from "lucide-react";
import { useState } from "react";
import { ApiForm } from "../components/api-form.tsx";
import { ConfirmButton } from "../components/confirm-button.tsx";
import { FormDialog } from "../components/form-dialog.tsx";
import { TextField } from "../components/text-field.tsx";
import { ErrorAlert } from "../components/ui/alert.tsx";
import { Button } from "../components/ui/button.tsx";
import { api, unwrap } from "../lib/api.ts";
import { resetOnClose, useApiMutation } from "../lib/mutation.ts";
import { saveText } from "../lib/save-text.ts";
import { useMe } from "../lib/session.ts";
import { toast } from "../lib/toast.ts";
import { useDeleted } from "./access-parts.tsx";
import type { Plan } from "./backup-parts.tsx";
import { EditPlanButton } from "./backup-plan-edit.tsx";

/** "Edit", the recovery kit and "Delete" on a plan's page (its account's admins). */
export function ManagePlan({ plan }: { plan: Plan }) {
  const me = useMe();
  const deleted = useDeleted();
  const remove = useApiMutation(
    async () =>
      unwrap(await api.DELETE("/api/v1/backup-plans/{id}", { params: { path: { id: plan.id } } })),
    {
      invalidate: [["backup-plans"]],
      onSuccess: () => deleted(`Plan ${plan.name} deleted.`, "/backups"),
    },
  );
  if (!me.can.manageBackups) return null;
  return (
    <>
      <EditPlanButton plan={plan} />
      <RecoveryKitButton plan={plan} />
      <ConfirmButton
        variant="danger"
        mutation={remove}
        confirm={{
          title: `Delete the plan ${plan.name}?`,
          description:
            "Its schedule stops. Its runs and artifacts stay recorded, and the artifacts stay on their destinations.",
          confirmLabel: "Delete plan",
          typeToConfirm: plan.name,
        }}
      >
        Delete
      </ConfirmButton>
      <ErrorAlert error={remove.error} />
    </>
  );
}

const fileName = (plan: Plan) =>
  `${plan.name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 60) || "plan"}-recovery-kit.txt`;

function RecoveryKitButton({ plan }: { plan: Plan }) {
  const [again, setAgain] = useState(false);
  const take = useApiMutation(
    async (reason: string | undefined) =>
      unwrap(
        await api.POST("/api/v1/backup-plans/{id}/recovery-kit", {
          params: {
            path: { id: plan.id },
            query: reason === undefined ? {} : { again: "true", reason },
          },
          // a text file, not JSON
          parseAs: "text",
        }),
      ),
    {
      invalidate: [["backup-plans"]],
      onSuccess: (kit) => {
        saveText(kit, fileName(plan));
        toast("Recovery kit downloaded: keep it apart from the backups.");
        setAgain(false);
      },
    },
  );
  if (plan.encryption !== "panel") return null;
  if (plan.recoveryKitTakenAt === null)
    return (
      <>
        <ConfirmButton
          variant="secondary"
          mutation={{ isPending: take.isPending, mutate: () => take.mutate(undefined) }}
          confirm={{
            title: `Take the recovery kit of ${plan.name}?`,
            description:
              "The plan's private key, with how to open its artifacts without the panel, downloads as a text file. It is shown once: keep it safe and apart from the backups. Taking it again later needs a reason, kept in the audit log.",
            confirmLabel: "Download the recovery kit",
            destructive: false,
          }}
        >
          <KeyRound className="h-4 w-4" aria-hidden="true" /> Recovery kit
        </ConfirmButton>
        <ErrorAlert error={take.error} />
      </>
    );
  return (
    <>
      <Button variant="secondary" onClick={() => setAgain(true)}>
        <KeyRound className="h-4 w-4" aria-hidden="true" /> Recovery kit again
      </Button>
      <FormDialog
        open={again}
        onOpenChange={resetOnClose(take, setAgain)}
        title={`Take the recovery kit of ${plan.name} again?`}
        description="It was taken already. Say why it is needed again: the reason is kept in the audit log."
      >
        {(done) => <AgainForm mutation={take} onCancel={done} />}
      </FormDialog>
    </>
  );
}

function AgainForm({
  mutation,
  onCancel,
}: {
  mutation: Parameters<typeof ApiForm<string | undefined>>[0]["mutation"];
  onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  return (
    <ApiForm
      mutation={mutation}
      input={reason}
      shown={["reason"]}
      submitLabel="Download the recovery kit"
      onCancel={onCancel}
    >
      <TextField label="Reason" field="reason" value={reason} onValue={setReason} maxLength={500} />
    </ApiForm>
  );
}
