// A membership list on a record's page (a group's members, a user's groups): the card, its
// "add" button and dialog, the list, and a last column with each row's remove button.
import { type ReactNode, useState } from "react";
import { AddButton } from "./add-button.tsx";
import type { Column, DataTableProps } from "./data-table.tsx";
import { ListCard } from "./list-page.tsx";

export function MembershipCard<T>({
  title,
  addLabel,
  columns,
  remove,
  addDialog,
  ...table
}: Omit<DataTableProps<T>, "columns"> & {
  title: string;
  addLabel: string;
  /** the columns before the remove button's */
  columns: Column<T>[];
  /** a row's remove button */
  remove: (row: T) => ReactNode;
  /** the dialog "add" opens */
  addDialog: (open: boolean, onOpenChange: (open: boolean) => void) => ReactNode;
}) {
  const [adding, setAdding] = useState(false);
  return (
    <ListCard
      title={title}
      actions={<AddButton size="sm" label={addLabel} onClick={() => setAdding(true)} />}
      columns={[...columns, { header: "Actions", cell: remove, className: "text-right" }]}
      {...table}
    >
      {addDialog(adding, setAdding)}
    </ListCard>
  );
}
