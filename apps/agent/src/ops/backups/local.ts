// A directory on the node: a put writes a hidden partial file in the same directory (written
// back as it grows), fsyncs it and renames it into place, so a reader never sees half an
// artifact under its name. A get opens the name itself, never a symbolic link (O_NOFOLLOW), and
// only a regular file.
import { randomBytes } from "node:crypto";
import { close, constants, createReadStream, fstat, open as openFd } from "node:fs";
import { type FileHandle, mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import type { Destination } from "./destination.ts";

/** A regular file of the directory, opened without following a link; ENOENT when not one. */
export async function openStored(dir: string, name: string) {
  const path = join(dir, name);
  // a plain descriptor, not a FileHandle: the classic read stream reads into pooled buffers
  const fd = await promisify(openFd)(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  const info = await promisify(fstat)(fd).catch((error: Error) => {
    close(fd);
    throw error;
  });
  if (!info.isFile()) {
    close(fd);
    throw Object.assign(new Error(`${name} is not a file`), { code: "ENOENT" });
  }
  return { stream: createReadStream(path, { fd }), bytes: info.size };
}

/** how much is written between two write-backs of the file while it is written */
const WRITE_BACK_EVERY = 32 * 1024 * 1024;

/**
 * A pass-through that has the kernel write the file back every WRITE_BACK_EVERY bytes (one
 * fdatasync at a time, beside the writes), so the fsync at the end waits for the last few
 * megabytes, not for the whole artifact. A failing write-back is seen by that last fsync.
 */
function writeBack(handle: FileHandle) {
  let unsynced = 0;
  let syncing: Promise<void> | null = null;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      unsynced += chunk.length;
      if (unsynced >= WRITE_BACK_EVERY && syncing === null) {
        unsynced = 0;
        syncing = handle
          .datasync()
          .catch(() => undefined)
          .finally(() => {
            syncing = null;
          });
      }
      callback(null, chunk);
    },
  });
}

export function localDestination(settings: DestinationSettingsOf<"local">): Destination {
  const dir = settings.path;
  const at = (name: string) => join(dir, name);
  return {
    async put(stream: Readable, name: string) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const partial = at(`.${name}.partial-${randomBytes(4).toString("hex")}`);
      try {
        const handle = await open(partial, "wx", 0o600);
        // `flush`: fsynced before it is closed (close waits for a write-back in flight)
        const file = handle.createWriteStream({ flush: true });
        await pipeline(stream, writeBack(handle), file);
        await rename(partial, at(name));
        // what the kernel took, write by write
        return { bytes: file.bytesWritten };
      } catch (error) {
        await unlink(partial).catch(() => undefined);
        throw error;
      }
    },
    async get(name: string) {
      return (await openStored(dir, name)).stream;
    },
    async list(prefix = "") {
      const entries = await readdir(dir, { withFileTypes: true }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return [];
          throw error;
        },
      );
      const files = entries.filter(
        (e) => e.isFile() && !e.name.startsWith(".") && e.name.startsWith(prefix),
      );
      return Promise.all(
        files.map(async (e) => {
          const info = await stat(at(e.name));
          return { name: e.name, bytes: info.size, modifiedAt: info.mtime };
        }),
      );
    },
    async delete(name: string) {
      await unlink(at(name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
    async close() {},
  };
}
