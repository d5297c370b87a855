// A mailbox's password becomes Dovecot's {ARGON2ID} hash here, in the panel; only the hash is
// stored and sent to the node (docs/mail.md). argon2id with 19 MiB and 2 passes (OWASP's
// minimum), one lane as libsodium (Dovecot's verifier) requires; ~40 ms here.
import { argon2, randomBytes } from "node:crypto";
import { promisify } from "node:util";

const argon2Async = promisify(argon2);
const MEMORY_KIB = 19_456;
const PASSES = 2;

const b64 = (b: Buffer) => b.toString("base64").replace(/=+$/, "");

export async function hashMailPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await argon2Async("argon2id", {
    message: password,
    nonce,
    parallelism: 1,
    tagLength: 32,
    memory: MEMORY_KIB,
    passes: PASSES,
  });
  return `{ARGON2ID}$argon2id$v=19$m=${MEMORY_KIB},t=${PASSES},p=1$${b64(nonce)}$${b64(tag)}`;
}
