// The SFTP protocol, version 3 (draft-ietf-secsh-filexfer-02, what OpenSSH's sftp-server and
// internal-sftp speak), over the stdin/stdout of `ssh -s … sftp`: framed packets, requests
// told apart by id so several are in flight at once, and only the calls a destination needs.
// Packets larger than MAX_PACKET are refused (a server cannot make us buffer more).
import type { Readable, Writable } from "node:stream";

const T = {
  INIT: 1,
  VERSION: 2,
  OPEN: 3,
  CLOSE: 4,
  READ: 5,
  WRITE: 6,
  FSTAT: 8,
  OPENDIR: 11,
  READDIR: 12,
  REMOVE: 13,
  MKDIR: 14,
  STAT: 17,
  RENAME: 18,
  STATUS: 101,
  HANDLE: 102,
  DATA: 103,
  NAME: 104,
  ATTRS: 105,
  EXTENDED: 200,
} as const;

/** Status codes (SSH_FX_*). */
export const FX = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4 } as const;

/** Open flags (SSH_FXF_*). */
export const OPEN = { READ: 1, WRITE: 2, CREAT: 8, TRUNC: 0x10, EXCL: 0x20 } as const;

const ATTR_SIZE = 1;
const ATTR_UIDGID = 2;
const ATTR_PERMISSIONS = 4;
const ATTR_ACMODTIME = 8;
const ATTR_EXTENDED = 0x80000000;

/** The largest packet accepted from the server (OpenSSH's own limit is 256 KiB). */
const MAX_PACKET = 256 * 1024 + 1024;

export class SftpError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.code = code;
  }
}

export interface Attrs {
  size?: number;
  permissions?: number;
}

export interface DirEntry {
  name: string;
  attrs: Attrs;
}

export const isRegularFile = (a: Attrs) =>
  a.permissions !== undefined && (a.permissions & 0o170000) === 0o100000;
export const isDirectory = (a: Attrs) =>
  a.permissions !== undefined && (a.permissions & 0o170000) === 0o040000;

/** Builds one packet: length, type, then the fields. */
class Packet {
  private parts: Buffer[] = [];
  private type: number;
  constructor(type: number) {
    this.type = type;
  }
  u32(n: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    this.parts.push(b);
    return this;
  }
  u64(n: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    this.parts.push(b);
    return this;
  }
  str(s: string | Buffer) {
    const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
    this.u32(b.length);
    this.parts.push(b);
    return this;
  }
  attrs(a: Attrs) {
    if (a.permissions === undefined) return this.u32(0);
    return this.u32(ATTR_PERMISSIONS).u32(a.permissions);
  }
  bytes(): Buffer {
    const body = Buffer.concat(this.parts);
    const head = Buffer.alloc(5);
    head.writeUInt32BE(body.length + 1);
    head.writeUInt8(this.type, 4);
    return Buffer.concat([head, body]);
  }
}

/** Reads the fields of a packet in order. */
class Fields {
  private at = 0;
  private b: Buffer;
  constructor(b: Buffer) {
    this.b = b;
  }
  u32() {
    const n = this.b.readUInt32BE(this.at);
    this.at += 4;
    return n;
  }
  u64() {
    const n = this.b.readBigUInt64BE(this.at);
    this.at += 8;
    return Number(n);
  }
  buf() {
    const n = this.u32();
    if (this.at + n > this.b.length) throw new Error("SFTP: a field runs past its packet");
    const out = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  str() {
    return this.buf().toString("utf8");
  }
  more() {
    return this.at < this.b.length;
  }
  attrs(): Attrs {
    const flags = this.u32();
    const a: Attrs = {};
    if (flags & ATTR_SIZE) a.size = this.u64();
    if (flags & ATTR_UIDGID) this.at += 8;
    if (flags & ATTR_PERMISSIONS) a.permissions = this.u32();
    if (flags & ATTR_ACMODTIME) this.at += 8;
    if (flags & ATTR_EXTENDED) for (let n = this.u32() * 2; n > 0; n--) this.buf();
    return a;
  }
}

interface Reply {
  type: number;
  fields: Fields;
}

export class SftpSession {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private onVersion: ((r: Reply) => void) | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private failure: Error | null = null;
  private extensions = new Map<string, string>();

  private output: Writable;

  constructor(input: Readable, output: Writable) {
    this.output = output;
    input.on("data", (chunk: Buffer) => this.receive(chunk));
    input.on("error", (error: Error) => this.fail(error));
    output.on("error", (error: Error) => this.fail(error));
  }

  /** Ends every request in flight (and every later one) with this error. */
  fail(error: Error) {
    if (this.failure) return;
    this.failure = error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  private receive(chunk: Buffer) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length < 1 || length > MAX_PACKET)
        return this.fail(new Error(`SFTP: the server sent a packet of ${length} bytes`));
      if (this.pending.length < 4 + length) return;
      const packet = this.pending.subarray(4, 4 + length);
      this.pending = this.pending.subarray(4 + length);
      try {
        this.dispatch(packet);
      } catch (error) {
        return this.fail(error as Error);
      }
    }
  }

  private dispatch(packet: Buffer) {
    const type = packet.readUInt8(0);
    const fields = new Fields(packet.subarray(1));
    if (type === T.VERSION) return this.onVersion?.({ type, fields });
    const id = fields.u32();
    const w = this.waiting.get(id);
    if (!w) throw new Error(`SFTP: an answer to no request (${id})`);
    this.waiting.delete(id);
    w.resolve({ type, fields });
  }

  private send(p: Packet): void {
    this.output.write(p.bytes());
  }

  private request(type: number, fill: (p: Packet) => Packet): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++ >>> 0;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send(fill(new Packet(type).u32(id)));
    });
  }

  /** Waits for an OK status; any other status is an SftpError naming what was asked. */
  private async status(what: string, reply: Promise<Reply>): Promise<void> {
    const r = await reply;
    if (r.type !== T.STATUS) throw new Error(`SFTP: ${what}: unexpected answer ${r.type}`);
    const code = r.fields.u32();
    if (code !== FX.OK) throw statusError(what, code, r.fields);
  }

  private async expect(what: string, type: number, reply: Promise<Reply>): Promise<Fields> {
    const r = await reply;
    if (r.type === type) return r.fields;
    if (r.type === T.STATUS) throw statusError(what, r.fields.u32(), r.fields);
    throw new Error(`SFTP: ${what}: unexpected answer ${r.type}`);
  }

  async init(): Promise<void> {
    const version = new Promise<Reply>((resolve, reject) => {
      this.onVersion = resolve;
      this.waiting.set(0, { resolve, reject });
    });
    this.send(new Packet(T.INIT).u32(3));
    const { fields } = await version;
    this.waiting.delete(0);
    const v = fields.u32();
    if (v < 3) throw new Error(`SFTP: the server speaks version ${v}, not 3`);
    while (fields.more()) this.extensions.set(fields.str(), fields.str());
  }

  async open(path: string, flags: number, attrs: Attrs = {}): Promise<Buffer> {
    const f = await this.expect(
      `open ${path}`,
      T.HANDLE,
      this.request(T.OPEN, (p) => p.str(path).u32(flags).attrs(attrs)),
    );
    return Buffer.from(f.buf());
  }

  close(handle: Buffer): Promise<void> {
    return this.status(
      "close",
      this.request(T.CLOSE, (p) => p.str(handle)),
    );
  }

  write(handle: Buffer, offset: number, data: Buffer): Promise<void> {
    return this.status(
      "write",
      this.request(T.WRITE, (p) => p.str(handle).u64(offset).str(data)),
    );
  }

  /** Up to `length` bytes at `offset`; null at the end of the file. */
  async read(handle: Buffer, offset: number, length: number): Promise<Buffer | null> {
    const r = await this.request(T.READ, (p) => p.str(handle).u64(offset).u32(length));
    if (r.type === T.DATA) return Buffer.from(r.fields.buf());
    if (r.type !== T.STATUS) throw new Error(`SFTP: read: unexpected answer ${r.type}`);
    const code = r.fields.u32();
    if (code === FX.EOF) return null;
    throw statusError("read", code, r.fields);
  }

  async fstat(handle: Buffer): Promise<Attrs> {
    return (
      await this.expect(
        "fstat",
        T.ATTRS,
        this.request(T.FSTAT, (p) => p.str(handle)),
      )
    ).attrs();
  }

  async stat(path: string): Promise<Attrs> {
    return (
      await this.expect(
        `stat ${path}`,
        T.ATTRS,
        this.request(T.STAT, (p) => p.str(path)),
      )
    ).attrs();
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const handle = Buffer.from(
      (
        await this.expect(
          `opendir ${path}`,
          T.HANDLE,
          this.request(T.OPENDIR, (p) => p.str(path)),
        )
      ).buf(),
    );
    const entries: DirEntry[] = [];
    try {
      for (;;) {
        const r = await this.request(T.READDIR, (p) => p.str(handle));
        if (r.type === T.STATUS) {
          const code = r.fields.u32();
          if (code === FX.EOF) break;
          throw statusError(`readdir ${path}`, code, r.fields);
        }
        if (r.type !== T.NAME) throw new Error(`SFTP: readdir: unexpected answer ${r.type}`);
        for (let n = r.fields.u32(); n > 0; n--) {
          const name = r.fields.str();
          r.fields.str(); // the long name (ls -l style)
          entries.push({ name, attrs: r.fields.attrs() });
        }
      }
    } finally {
      await this.close(handle).catch(() => undefined);
    }
    return entries;
  }

  remove(path: string): Promise<void> {
    return this.status(
      `remove ${path}`,
      this.request(T.REMOVE, (p) => p.str(path)),
    );
  }

  mkdir(path: string, permissions = 0o700): Promise<void> {
    return this.status(
      `mkdir ${path}`,
      this.request(T.MKDIR, (p) => p.str(path).attrs({ permissions })),
    );
  }

  /** Renames over an existing file where the server offers POSIX rename (OpenSSH does). */
  rename(from: string, to: string): Promise<void> {
    if (this.extensions.has("posix-rename@openssh.com"))
      return this.status(
        `rename ${from}`,
        this.request(T.EXTENDED, (p) => p.str("posix-rename@openssh.com").str(from).str(to)),
      );
    return this.status(
      `rename ${from}`,
      this.request(T.RENAME, (p) => p.str(from).str(to)),
    );
  }
}

function statusError(what: string, code: number, fields: Fields): SftpError {
  let message = "";
  try {
    message = fields.str();
  } catch {
    // version 3 servers may leave the message out
  }
  return new SftpError(`SFTP ${what}: ${message || `status ${code}`}`, code);
}
