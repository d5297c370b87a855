// The SFTP protocol, version 3 (draft-ietf-secsh-filexfer-02, what OpenSSH's sftp-server and
// internal-sftp speak), over the stdin/stdout of `ssh -s … sftp`: framed packets, requests
// told apart by id so several are in flight at once, and only the calls a destination needs.
// Packets larger than MAX_PACKET are refused (a server cannot make us buffer more).
import type { Readable, Writable } from "node:stream";
import {
  type Attrs,
  type DirEntry,
  Fields,
  FX,
  MAX_PACKET,
  Packet,
  statusError,
  T,
} from "./sftp-packets.ts";

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
