// `@steward/server/self-backup`: Steward's own export and import (issue 15), loaded by the
// CLI's `backup export` / `backup import` only (they bring the backup pipeline with them).
export { type ExportRequest, exportSteward } from "./export.ts";
export { type ImportRequest, type ImportResult, importSteward, recordImport } from "./import.ts";
