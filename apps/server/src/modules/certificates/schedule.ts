// When certificates are renewed: 30 days before expiry (a third of a 90-day certificate's
// life for shorter ones), and after a failure with a growing delay that respects the CA's
// limits (an hour, doubling, at most a day).
const DAY = 86_400_000;
const HOUR = 3_600_000;

export function renewalDue(notBefore: number, notAfter: number): number {
  const life = notAfter - notBefore;
  return notAfter - Math.min(30 * DAY, Math.floor(life / 3));
}

export function nextTry(now: number, failures: number): number {
  return now + Math.min(DAY, HOUR * 2 ** Math.max(0, failures - 1));
}
