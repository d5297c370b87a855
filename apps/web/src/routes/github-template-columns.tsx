// A catalog template's columns (its repository and description, its default branch) and the
// action of the page showing it: edit and delete in settings, generate on the templates page.
import type { ReactNode } from "react";
import type { Column } from "../components/data-table.tsx";

export type Template = {
  id: string;
  owner: string;
  repo: string;
  description: string;
  defaultBranch: string;
};

export const templateColumns = (action: (t: Template) => ReactNode): Column<Template>[] => [
  {
    header: "Template",
    cell: (t) => (
      <span className="grid gap-0.5">
        <span className="font-mono">{`${t.owner}/${t.repo}`}</span>
        <span className="text-xs text-fg-muted">{t.description}</span>
      </span>
    ),
  },
  {
    header: "Default branch",
    cell: (t) => <span className="font-mono">{t.defaultBranch}</span>,
    wide: true,
  },
  { header: "", className: "text-right", cell: action },
];
