// A directory on the node: a put writes a hidden partial file in the same directory, fsyncs it
// and renames it into place, so a reader never sees half an artifact under its name.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import { type Destination, measured } from "./destination.ts";

export function localDestination(settings: DestinationSettingsOf<"local">): Destination {
  const dir = settings.path;
  const at = (name: string) => join(dir, name);
  return {
    async put(stream: Readable, name: string) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const partial = at(`.${name}.partial-${randomBytes(4).toString("hex")}`);
      const { body, result } = measured(stream);
      try {
        await pipeline(body, createWriteStream(partial, { mode: 0o600, flags: "wx" }));
        const handle = await open(partial, "r");
        await handle.sync().finally(() => handle.close());
        await rename(partial, at(name));
      } catch (error) {
        await unlink(partial).catch(() => undefined);
        throw error;
      }
      return result();
    },
    async get(name: string) {
      await stat(at(name));
      return createReadStream(at(name));
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
