// Epoch milliseconds as ISO 8601 (`2026-12-06T21:15:00.000Z`), as `Date#toISOString` writes
// them, without a Date per value: lists write several per row (a page of tasks, 250), and
// `new Date(ms).toISOString()` was a twentieth of the panel's time serving task and audit lists
// (bench/README.md, 6 Dec 2026). The date of the last day asked is kept and the fields come from
// tables: a tenth of what a page of sites allocated was these strings' pieces.

/** The largest time toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const LAST = 253402300799999;

/** "00" to "99" and "000" to "999": the fields of a time, no string made per value */
const TWO = Array.from({ length: 100 }, (_, n) => `${n}`.padStart(2, "0"));
const THREE = Array.from({ length: 1000 }, (_, n) => `${n}`.padStart(3, "0"));

/** `2026-12-06T` of a day number (days since 1970-01-01) */
function dateOf(days: number): string {
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
  return `${`${year}`.padStart(4, "0")}-${TWO[month]}-${TWO[day]}T`;
}

/** the last day's date: the times of a page are mostly of a few days */
let lastDays = -1;
let lastDate = "";

/**
 * `new Date(ms).toISOString()`, the same text; times before 1970 or after year 9999, and
 * fractions of a millisecond, go through Date (which also refuses what is no time).
 */
export function msToIso(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST) return new Date(ms).toISOString();
  const days = Math.floor(ms / 86400000);
  if (days !== lastDays) {
    lastDate = dateOf(days);
    lastDays = days;
  }
  let rest = ms - days * 86400000;
  const hours = Math.floor(rest / 3600000);
  rest -= hours * 3600000;
  const minutes = Math.floor(rest / 60000);
  rest -= minutes * 60000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${lastDate}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[millis]}Z`;
}
