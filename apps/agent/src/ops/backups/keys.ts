// Recipients (age-style): the per-backup data key is wrapped for each X25519 public key with an
// ephemeral key pair, HKDF-SHA256 over the shared secret (salted with both public keys) and
// AES-256-GCM. Whoever writes a backup needs only public keys; only the private key reads it.
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
} from "node:crypto";

const WRAP_INFO = "steward-backup/1 x25519 wrap";
const ZERO_NONCE = Buffer.alloc(12);

export interface Stanza {
  type: "X25519";
  /** the recipient's raw public key, base64 */
  recipient: string;
  /** the ephemeral raw public key, base64 */
  ephemeral: string;
  /** the data key sealed with AES-256-GCM (ciphertext and tag), base64 */
  wrapped: string;
}

export interface RecipientKeyPair {
  /** raw 32-byte public key, base64: what a plan stores and writes for */
  publicKey: string;
  /** PKCS#8 DER, base64: what the admin keeps (the recovery kit) */
  privateKey: string;
}

const rawPublic = (key: KeyObject) =>
  Buffer.from((key.export({ format: "jwk" }).x ?? "") as string, "base64url");

const publicFromRaw = (raw: Buffer) =>
  createPublicKey({
    key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") },
    format: "jwk",
  });

/** A new recipient key pair. */
export function generateRecipient(): RecipientKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return {
    publicKey: rawPublic(publicKey).toString("base64"),
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
  };
}

function wrapKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  const salt = Buffer.concat([ephemeral, recipient]);
  return Buffer.from(hkdfSync("sha256", shared, salt, WRAP_INFO, 32));
}

/** The data key wrapped for one recipient's raw public key (base64). */
export function wrapFor(recipientB64: string, dataKey: Buffer): Stanza {
  const recipient = Buffer.from(recipientB64, "base64");
  if (recipient.length !== 32) throw new Error("a recipient must be a 32-byte X25519 public key");
  const eph = generateKeyPairSync("x25519");
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: publicFromRaw(recipient) });
  const ephemeral = rawPublic(eph.publicKey);
  const cipher = createCipheriv("aes-256-gcm", wrapKey(shared, ephemeral, recipient), ZERO_NONCE);
  const sealed = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  return {
    type: "X25519",
    recipient: recipient.toString("base64"),
    ephemeral: ephemeral.toString("base64"),
    wrapped: sealed.toString("base64"),
  };
}

/** The data key from the stanza made for this private key (PKCS#8 DER, base64), or null. */
export function unwrapWith(privateKeyB64: string, stanzas: readonly Stanza[]): Buffer | null {
  const privateKey = createPrivateKey({
    key: Buffer.from(privateKeyB64, "base64"),
    format: "der",
    type: "pkcs8",
  });
  const mine = rawPublic(createPublicKey(privateKey)).toString("base64");
  const stanza = stanzas.find((s) => s.recipient === mine);
  if (!stanza) return null;
  const ephemeral = Buffer.from(stanza.ephemeral, "base64");
  const shared = diffieHellman({ privateKey, publicKey: publicFromRaw(ephemeral) });
  const sealed = Buffer.from(stanza.wrapped, "base64");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    wrapKey(shared, ephemeral, Buffer.from(mine, "base64")),
    ZERO_NONCE,
  );
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]);
  } catch {
    throw new Error("the data key does not open with this private key: the header was altered");
  }
}
