// The WordPress connector plugin as the zip WordPress's "Upload Plugin" takes: the files of
// connectors/wordpress/steward-connector in this repository, under steward-connector/, made
// once per process.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { zip } from "../../lib/zip.ts";

export const CONNECTOR_DIR = fileURLToPath(
  new URL("../../../../../connectors/wordpress/steward-connector", import.meta.url),
);

let made: Buffer | null = null;

export function connectorZip(): Buffer {
  made ??= zip(
    readdirSync(CONNECTOR_DIR, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const full = join(e.parentPath, e.name);
        return {
          path: `steward-connector/${full.slice(CONNECTOR_DIR.length + 1)}`,
          data: readFileSync(full),
        };
      })
      .sort((a, b) => a.path.localeCompare(b.path)),
  );
  return made;
}
