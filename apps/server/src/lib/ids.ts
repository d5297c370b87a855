import { randomBytes } from "node:crypto";

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lowercase

/**
 * Time-ordered identifiers ("acc_01jd...") : 10 characters of milliseconds, then 16 random
 * ones. Sorting by id sorts by creation time, which cursor pagination relies on.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = alphabet[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = randomBytes(16);
  let tail = "";
  for (const byte of rand) tail += alphabet[byte % 32];
  return `${prefix}_${time}${tail}`;
}
