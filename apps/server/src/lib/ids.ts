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

/** The smallest id made at `ms` with that prefix: ids made earlier sort before it. */
export const idAt = (prefix: string, ms: number): string =>
  newId(prefix, Math.max(0, ms)).slice(0, prefix.length + 11);

/**
 * The first id with that prefix an event of that time can have, a minute early or late (`side`
 * -1 or +1): a time-ordered row's id is made just before its time is taken, so the ids of a
 * time range lie within (a time filter becomes an id range, an index walk).
 */
export const idFloor = (prefix: string, iso: string, side: -1 | 1) =>
  idAt(prefix, Date.parse(iso) + side * 60_000);

/**
 * Ids of one source that sort in the order they were made, even within one millisecond
 * (task log lines are read back "after the last id sent").
 */
export function monotonicIds(prefix: string): (now?: number) => string {
  let last = "";
  return (now = Date.now()) => {
    let id = newId(prefix, now);
    if (id <= last) id = successor(last);
    last = id;
    return id;
  };
}

/** The next id in sort order: its base32 part counted up by one. */
function successor(id: string): string {
  const chars = [...id];
  for (let i = chars.length - 1; i >= 0 && chars[i] !== "_"; i--) {
    const digit = alphabet.indexOf(chars[i] ?? "");
    if (digit < alphabet.length - 1) {
      chars[i] = alphabet[digit + 1] ?? "";
      return chars.join("");
    }
    chars[i] = alphabet[0] ?? "";
  }
  throw new Error(`no id after ${id}`);
}
