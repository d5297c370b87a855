// The SFTP version 3 wire format (draft-ietf-secsh-filexfer-02): packet types, status codes,
// open flags, attributes, and the builder and reader of a packet's fields.
export const T = {
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
export const MAX_PACKET = 256 * 1024 + 1024;

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
  /** seconds since the epoch (read only: a write never sets it) */
  mtime?: number;
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
export class Packet {
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
export class Fields {
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
    if (flags & ATTR_ACMODTIME) {
      this.u32();
      a.mtime = this.u32();
    }
    if (flags & ATTR_EXTENDED) for (let n = this.u32() * 2; n > 0; n--) this.buf();
    return a;
  }
}

export function statusError(what: string, code: number, fields: Fields): SftpError {
  let message = "";
  try {
    message = fields.str();
  } catch {
    // version 3 servers may leave the message out
  }
  return new SftpError(`SFTP ${what}: ${message || `status ${code}`}`, code);
}
