// SHA-512 crypt (`$6$salt$hash`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"), the
// hash /etc/shadow and pure-ftpd's puredb check: system users' passwords are hashed here, on
// the panel, and only the hash travels to the node and is stored (docs/hosting.md).
import { createHash, randomBytes } from "node:crypto";

const ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** The order in which the digest's bytes are encoded, three at a time. */
const ORDER = [
  [0, 21, 42],
  [22, 43, 1],
  [44, 2, 23],
  [3, 24, 45],
  [25, 46, 4],
  [47, 5, 26],
  [6, 27, 48],
  [28, 49, 7],
  [50, 8, 29],
  [9, 30, 51],
  [31, 52, 10],
  [53, 11, 32],
  [12, 33, 54],
  [34, 55, 13],
  [56, 14, 35],
  [15, 36, 57],
  [37, 58, 16],
  [59, 17, 38],
  [18, 39, 60],
  [40, 61, 19],
  [62, 20, 41],
] as const;
const DEFAULT_ROUNDS = 5000;

const sha512 = (...parts: Buffer[]) => {
  const h = createHash("sha512");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** `bytes` copies of `block` back to back, cut at `length`. */
const repeated = (block: Buffer, length: number) => {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length)
    block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
};

function encode(w: number, chars: number) {
  let s = "";
  for (let i = 0; i < chars; i++, w >>= 6) s += ALPHABET[w & 0x3f];
  return s;
}

/** A random salt of 16 characters of crypt's alphabet. */
export const cryptSalt = () => [...randomBytes(16)].map((b) => ALPHABET[b & 0x3f]).join("");

/** `$6$<salt>$<86 characters>` (the default 5000 rounds; `rounds=N$` when asked for others). */
export function sha512Crypt(password: string, salt = cryptSalt(), rounds = DEFAULT_ROUNDS): string {
  const p = Buffer.from(password, "utf8");
  const s = Buffer.from(salt.slice(0, 16), "utf8");
  const b = sha512(p, s, p);
  const a = createHash("sha512").update(p).update(s);
  a.update(repeated(b, p.length));
  for (let n = p.length; n > 0; n >>= 1) a.update(n & 1 ? b : p);
  const digestA = a.digest();
  const dp = sha512(...Array.from({ length: p.length }, () => p));
  const pSeq = repeated(dp, p.length);
  const ds = sha512(...Array.from({ length: 16 + (digestA[0] ?? 0) }, () => s));
  const sSeq = repeated(ds, s.length);
  let c = digestA;
  for (let i = 0; i < rounds; i++) {
    const h = createHash("sha512");
    h.update(i & 1 ? pSeq : c);
    if (i % 3) h.update(sSeq);
    if (i % 7) h.update(pSeq);
    h.update(i & 1 ? c : pSeq);
    c = h.digest();
  }
  let out = "";
  for (const [x, y, z] of ORDER)
    out += encode(((c[x] ?? 0) << 16) | ((c[y] ?? 0) << 8) | (c[z] ?? 0), 4);
  out += encode(c[63] ?? 0, 2);
  const prefix = rounds === DEFAULT_ROUNDS ? "" : `rounds=${rounds}$`;
  return `$6$${prefix}${s.toString("utf8")}$${out}`;
}
