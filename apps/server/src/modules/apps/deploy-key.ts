// An app's SSH deploy key: an Ed25519 key pair made with node:crypto and written in OpenSSH's
// own formats (the public key as `ssh-ed25519 AAAA... comment` for the repository's deploy
// keys, the private key as an unencrypted "openssh-key-v1" file for git's ssh), without
// running ssh-keygen. The private key is sealed at once; the public half is shown to the user.
import { generateKeyPairSync, randomBytes } from "node:crypto";

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (b: Buffer | string) => {
  const buf = typeof b === "string" ? Buffer.from(b) : b;
  return Buffer.concat([u32(buf.length), buf]);
};

const TYPE = "ssh-ed25519";

export interface DeployKey {
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
  /** OpenSSH private key file (PEM-like armour) */
  privateKey: string;
}

export function generateDeployKey(comment: string): DeployKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const pub = Buffer.from(publicKey.export({ format: "jwk" }).x ?? "", "base64url");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d ?? "", "base64url");
  const blob = Buffer.concat([str(TYPE), str(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([
    check,
    check,
    str(TYPE),
    str(pub),
    str(Buffer.concat([seed, pub])),
    str(comment),
  ]);
  const pad = (8 - (secret.length % 8)) % 8;
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: pad }, (_, i) => i + 1))]);
  const file = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    str("none"),
    str("none"),
    str(""),
    u32(1),
    str(blob),
    str(secret),
  ]);
  const lines = file.toString("base64").match(/.{1,70}/g) ?? [];
  return {
    publicKey: `${TYPE} ${blob.toString("base64")} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}
