// AES-256-GCM under the master key. Sealed values look like "v1:<iv>:<tag>:<ciphertext>"
// (base64url), so a future key rotation can tell versions apart.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export interface Secrets {
  seal(plain: string): string;
  open(sealed: string): string;
  /** a stable key derived for one purpose (e.g. signing sessions), never the master key itself */
  derive(purpose: string, length?: number): Buffer;
}

export function createSecrets(masterKey: Buffer): Secrets {
  const enc = Buffer.from(hkdfSync("sha256", masterKey, "", "steward:secrets:v1", 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", enc, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const b = (x: Buffer) => x.toString("base64url");
      return `v1:${b(iv)}:${b(cipher.getAuthTag())}:${b(body)}`;
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(":");
      if (version !== "v1" || !iv || !tag || body === undefined)
        throw new Error("not a sealed secret");
      const decipher = createDecipheriv("aes-256-gcm", enc, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(body, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
    derive(purpose, length = 32) {
      // the sealing key is derived with info "steward:secrets:v1": keep those purposes apart
      if (purpose.startsWith("secrets:")) throw new Error(`key purpose "${purpose}" is reserved`);
      return Buffer.from(hkdfSync("sha256", masterKey, "", `steward:${purpose}`, length));
    },
  };
}
