// Failed sign-ins are counted from the audit log, so the limit holds across panel
// processes: 5 failures for one email from one IP, or 50 for one email from anywhere,
// within 15 minutes, and further attempts are refused until the oldest one ages out.
import type { Services } from "../../services.ts";

export const SIGN_IN = "auth.sign-in.email";
export const THROTTLE = { perIp: 5, perEmail: 50, windowMs: 15 * 60_000 };

async function failureTimes(svc: Services, email: string, ip: string | null, limit: number) {
  let q = svc.db.db
    .selectFrom("audit_events")
    .select("at")
    .where("action", "=", SIGN_IN)
    .where("target_id", "=", email)
    .where("outcome", "=", "failure")
    .where("at", ">", Date.now() - THROTTLE.windowMs)
    .orderBy("at", "desc")
    .limit(limit);
  if (ip !== null) q = q.where("ip", "=", ip);
  return (await q.execute()).map((r) => Number(r.at));
}

/** Seconds until a sign-in for this email from this IP is allowed again; 0 when it is. */
export async function signInBlockedFor(svc: Services, email: string, ip: string): Promise<number> {
  for (const [from, limit] of [
    [ip, THROTTLE.perIp],
    [null, THROTTLE.perEmail],
  ] as const) {
    const times = await failureTimes(svc, email, from, limit);
    const oldest = times[limit - 1];
    if (oldest !== undefined)
      return Math.max(1, Math.ceil((oldest + THROTTLE.windowMs - Date.now()) / 1000));
  }
  return 0;
}
