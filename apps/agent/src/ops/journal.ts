// What an operation changed, so a failure can put it back: files and directories first
// (newest first), then the handler's own undo actions (newest first).
import { chmod, chown, rm } from "node:fs/promises";
import { restore, type Snapshot } from "../system/files.ts";

type Entry =
  | { kind: "file"; snapshot: Snapshot }
  | { kind: "dir"; path: string }
  | { kind: "attrs"; path: string; mode: number; uid: number; gid: number };

export interface Undo {
  name: string;
  fn: () => Promise<void>;
}

export class Journal {
  private files: Entry[] = [];
  private touched = new Set<string>();
  private actions: Undo[] = [];

  /** true the first time a path is seen: only the state before the operation is kept */
  has(path: string) {
    return this.touched.has(path);
  }
  file(s: Snapshot) {
    if (this.touched.has(s.path)) return;
    this.touched.add(s.path);
    this.files.push({ kind: "file", snapshot: s });
  }
  createdDir(path: string) {
    this.touched.add(path);
    this.files.push({ kind: "dir", path });
  }
  attrs(path: string, mode: number, uid: number, gid: number) {
    if (this.touched.has(path)) return;
    this.touched.add(path);
    this.files.push({ kind: "attrs", path, mode, uid, gid });
  }
  action(u: Undo) {
    this.actions.push(u);
  }
  get empty() {
    return this.files.length === 0 && this.actions.length === 0;
  }

  /** Everything to undo, in the order to run it. */
  undos(): Undo[] {
    const files = [...this.files].reverse().map((e): Undo => {
      if (e.kind === "file")
        return { name: `restore ${e.snapshot.path}`, fn: () => restore(e.snapshot) };
      // a directory this operation created: whatever is inside was created by it too
      if (e.kind === "dir")
        return { name: `remove ${e.path}`, fn: () => rm(e.path, { recursive: true, force: true }) };
      return {
        name: `restore mode and owner of ${e.path}`,
        fn: async () => {
          await chmod(e.path, e.mode);
          await chown(e.path, e.uid, e.gid);
        },
      };
    });
    return [...files, ...[...this.actions].reverse()];
  }
}
