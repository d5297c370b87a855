// SFTP: OpenSSH's client by argv with the host key pinned (sftp-ssh.ts), the protocol spoken
// here (sftp-protocol.ts). A put writes a hidden partial file (created exclusively, 0600),
// WRITE requests pipelined with at most IN_FLIGHT bytes outstanding, closes it, checks the
// stored size against the bytes sent and renames it into place; a get reads ahead the same
// way. Every call has its own session (as FTP's), so nothing lingers between calls. `path`
// is relative to the login directory, or absolute with a leading "/".
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import { counted, type Destination } from "./destination.ts";
import { FX, isDirectory, isRegularFile, OPEN, SftpError } from "./sftp-packets.ts";
import type { SftpSession } from "./sftp-protocol.ts";
import { type OpenSession, openSession, type PinnedKey, pinHostKey } from "./sftp-ssh.ts";

/** Bytes per WRITE and READ request (OpenSSH's sftp client uses 32 KiB too). */
const BLOCK = 32 * 1024;
/** Requests outstanding at once: BLOCK × IN_FLIGHT bytes in flight (1 MiB). */
const IN_FLIGHT = 32;

export function sftpDestination(settings: DestinationSettingsOf<"sftp">): Destination {
  const segments = settings.path.split("/").filter(Boolean);
  const absolute = settings.path.startsWith("/");
  const dir = absolute ? `/${segments.join("/")}` : segments.join("/") || ".";
  const at = (name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);
  let pinned: Promise<PinnedKey> | null = null;
  const connect = async (): Promise<OpenSession> => {
    pinned ??= pinHostKey(settings);
    const key = await pinned.catch((error: Error) => {
      pinned = null;
      throw error;
    });
    return openSession(settings, key);
  };
  const withSession = async <T>(work: (s: SftpSession) => Promise<T>): Promise<T> => {
    const open = await connect();
    try {
      return await work(open.session);
    } finally {
      await open.end();
    }
  };
  const ensureDir = async (s: SftpSession) => {
    let current = absolute ? "" : ".";
    for (const segment of segments) {
      current = `${current}/${segment}`;
      const exists = await s.stat(current).catch(() => null);
      if (exists && isDirectory(exists)) continue;
      await s.mkdir(current);
    }
  };
  return {
    put: (stream, name) =>
      withSession(async (s) => {
        await ensureDir(s);
        const partial = at(`.${name}.partial-${randomBytes(4).toString("hex")}`);
        const { body, result } = counted(stream);
        let created = false;
        try {
          const handle = await s.open(partial, OPEN.WRITE | OPEN.CREAT | OPEN.EXCL, {
            permissions: 0o600,
          });
          created = true;
          await upload(s, handle, body);
          const sent = result();
          const stored = (await s.stat(partial)).size;
          if (stored !== sent.bytes)
            throw new Error(
              `the server stored ${stored} bytes of ${name}, not the ${sent.bytes} sent`,
            );
          await s.rename(partial, at(name));
          return sent;
        } catch (error) {
          body.destroy();
          if (created) await s.remove(partial).catch(() => undefined);
          throw error;
        }
      }),
    async get(name) {
      const open = await connect();
      try {
        const handle = await open.session.open(at(name), OPEN.READ);
        return download(open, handle);
      } catch (error) {
        await open.end();
        throw error;
      }
    },
    list: (prefix = "") =>
      withSession(async (s) => {
        const entries = await s.readdir(dir).catch((error: Error) => {
          if (error instanceof SftpError && error.code === FX.NO_SUCH_FILE) return [];
          throw error;
        });
        return entries
          .filter(
            (e) => isRegularFile(e.attrs) && !e.name.startsWith(".") && e.name.startsWith(prefix),
          )
          .map((e) => ({
            name: e.name,
            bytes: e.attrs.size ?? 0,
            modifiedAt: e.attrs.mtime === undefined ? null : new Date(e.attrs.mtime * 1000),
          }));
      }),
    delete: (name) =>
      withSession(async (s) => {
        await s.remove(at(name)).catch((error: Error) => {
          if (!(error instanceof SftpError && error.code === FX.NO_SUCH_FILE)) throw error;
        });
      }),
    async close() {},
  };
}

/** Writes the stream at successive offsets, at most IN_FLIGHT requests outstanding; closes. */
async function upload(s: SftpSession, handle: Buffer, body: Readable): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failed: Error | null = null;
  let offset = 0;
  const send = (piece: Buffer) => {
    const p: Promise<void> = s
      .write(handle, offset, piece)
      .catch((error: Error) => {
        failed ??= error;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    offset += piece.length;
  };
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length; at += BLOCK) {
        while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
        if (failed) throw failed;
        send(chunk.subarray(at, at + BLOCK));
      }
    }
    await Promise.all(inFlight);
    if (failed) throw failed;
  } catch (error) {
    await Promise.allSettled(inFlight);
    await s.close(handle).catch(() => undefined);
    throw error;
  }
  // a close that fails (the server could not flush) fails the put
  await s.close(handle);
}

/** The file as a stream, reading ahead at most IN_FLIGHT blocks; ends the session after. */
function download(open: OpenSession, handle: Buffer): Readable {
  const s = open.session;
  // requests in file order; a short answer (which OpenSSH gives only at the end) restarts there
  const queue: { offset: number; reply: Promise<Buffer | null> }[] = [];
  let next = 0;
  let ended = false;
  const fill = () => {
    while (!ended && queue.length < IN_FLIGHT) {
      const reply = s.read(handle, next, BLOCK);
      reply.catch(() => undefined);
      queue.push({ offset: next, reply });
      next += BLOCK;
    }
  };
  const finish = async () => {
    await s.close(handle).catch(() => undefined);
    await open.end();
  };
  return new Readable({
    async read() {
      try {
        fill();
        const head = queue.shift();
        if (!head) return;
        const data = await head.reply;
        if (data === null) {
          ended = true;
          await Promise.allSettled(queue.map((q) => q.reply));
          queue.length = 0;
          await finish();
          this.push(null);
          return;
        }
        if (data.length < BLOCK) {
          // drop the read-ahead past this answer and continue right after it
          await Promise.allSettled(queue.map((q) => q.reply));
          queue.length = 0;
          next = head.offset + data.length;
        }
        this.push(data);
      } catch (error) {
        ended = true;
        await finish();
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      ended = true;
      finish().then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}
