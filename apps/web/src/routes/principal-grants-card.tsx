// The roles card of a user's or a group's page: the grants that apply, "New grant", and the
// grant dialog with the user or group fixed.
import { type ComponentProps, type ReactNode, useState } from "react";
import { AddButton } from "../components/add-button.tsx";
import { Card } from "../components/ui/card.tsx";
import { type FixedPrincipal, GrantDialog } from "./access-grant-dialog.tsx";
import { GrantsTable } from "./access-grants.tsx";

export function PrincipalGrantsCard({
  title,
  principal,
  alert,
  ...table
}: ComponentProps<typeof GrantsTable> & {
  title: string;
  principal: FixedPrincipal;
  /** a note above the table; when given (even null) the card lays out note and table as a grid */
  alert?: ReactNode;
}) {
  const [creating, setCreating] = useState(false);
  const grants = <GrantsTable {...table} />;
  return (
    <Card
      title={title}
      actions={<AddButton size="sm" label="New grant" onClick={() => setCreating(true)} />}
    >
      {alert === undefined ? (
        grants
      ) : (
        <div className="grid gap-4">
          {alert}
          {grants}
        </div>
      )}
      <GrantDialog open={creating} onOpenChange={setCreating} principal={principal} />
    </Card>
  );
}
