// ctx.writeFile: compare, keep the previous state for rollback, write atomically.
import { atomicWrite, sameFile, snapshot } from "../system/files.ts";
import type { Journal } from "./journal.ts";
import type { FileOwnership } from "./types.ts";

/** true when the file was written; false when it already was exactly so. */
export async function writeFileStep(
  journal: Journal,
  path: string,
  content: string | Uint8Array,
  o: FileOwnership,
): Promise<boolean> {
  const buf = typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content);
  if (await sameFile(path, buf, o)) return false;
  const before = await snapshot(path);
  journal.file(before);
  // an existing file keeps its mode and owner unless the caller says otherwise
  const existed = before.content !== null;
  const uid = o.uid ?? (existed ? before.uid : undefined);
  const gid = o.gid ?? (existed ? before.gid : undefined);
  await atomicWrite(path, buf, {
    mode: o.mode ?? (existed ? before.mode : 0o644),
    ...(uid !== undefined ? { uid } : {}),
    ...(gid !== undefined ? { gid } : {}),
  });
  return true;
}
