// An export of a console statement's rows, written as they come (never the whole result in
// memory): CSV (a header of the columns' names, RFC 4180 quoting) or one JSON document
// ({"columns": […], "rows": [[…], …]}). The writer waits while the client is slow and stops
// the statement when the client has gone.

import { PassThrough } from "node:stream";
import type { RowSink } from "@steward/agent/databases";
import type { QueryColumn } from "@steward/contracts/databases";

export type ExportFormat = "csv" | "json";

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const csvCell = (value: unknown) => {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replaceAll('"', '""')}"` : text;
};
const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** The stream an answer sends, and the sink the statement's rows go to. */
export function exportWriter(format: ExportFormat) {
  const out = new PassThrough();
  let rows = 0;
  let begun = false;
  const write = (text: string): boolean | Promise<boolean> => {
    if (out.destroyed) return false;
    if (out.write(text)) return true;
    return new Promise<boolean>((resolve) => {
      const go = () => resolve(!out.destroyed);
      out.once("drain", go);
      out.once("close", go);
    });
  };
  const sink: RowSink = {
    columns(columns: QueryColumn[]) {
      begun = true;
      if (format === "csv") out.write(csvLine(columns.map((c) => c.name)));
      else out.write(`{"columns":${JSON.stringify(columns)},"rows":[`);
    },
    row(cells: unknown[]) {
      rows++;
      if (format === "csv") return write(csvLine(cells));
      return write(`${rows > 1 ? "," : ""}\n${JSON.stringify(cells)}`);
    },
  };
  return {
    out,
    sink,
    /** closes the document; an error cuts it (the client sees a broken download) */
    end(error: Error | null) {
      if (error) return void out.destroy(error);
      if (!begun) sink.columns([]);
      out.end(format === "json" ? "\n]}\n" : "");
    },
  };
}
