// Epoch milliseconds as ISO 8601 (`2026-12-06T21:15:00.000Z`), as `Date#toISOString` writes
// them, without a Date per value: lists write several per row (a page of tasks, 250), and
// `new Date(ms).toISOString()` was a twentieth of the panel's time serving task and audit lists
// (bench/README.md, 6 Dec 2026).

/** The largest time toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST = 253402300799999;

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, the same text; times before 1970 or after year 9999, and
 * fractions of a millisecond, go through Date (which also refuses what is no time).
 */
export function msToIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86400000);
  let rest = ms - days * 86400000;
  // the civil date of a day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms")
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3600000);
  rest -= hours * 3600000;
  const minutes = Math.floor(rest / 60000);
  rest -= minutes * 60000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const yyyy = year < 1000 ? `000${year}`.slice(-4) : `${year}`;
  return `${yyyy}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(millis)}Z`;
}
