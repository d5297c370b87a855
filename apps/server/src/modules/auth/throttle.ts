// Failed sign-ins are counted from the audit log, so the limit holds across panel
// processes: 5 failures for one email from one IP, or 50 for one email from anywhere,
// within 15 minutes, and further attempts are refused until the oldest one ages out.
//
// The check is a reservation: each attempt first records itself as a failure (committed),
// then counts the other failures. Of any set of concurrent attempts that all proceed, the
// last one to record itself sees all the others, so no more than the limit ever proceed,
// in one process or several. The attempt's event is settled afterwards (success, or denied
// when it was throttled); a crash in between leaves a failure, which errs on the safe side.
import type { Ctx } from "../../access/types.ts";
import { recordAudit, settleAudit } from "../../audit/log.ts";
import type { Services } from "../../services.ts";
import { failureTimesOf } from "../audit/repo.ts";

export const SIGN_IN = "auth.sign-in.email";
export const THROTTLE = { perIp: 5, perEmail: 50, windowMs: 15 * 60_000 };

function failureTimes(
  svc: Services,
  q: { email: string; ip: string | null; limit: number; except: string },
) {
  return failureTimesOf(svc.db.db, {
    action: SIGN_IN,
    targetId: q.email,
    ip: q.ip,
    since: Date.now() - THROTTLE.windowMs,
    except: q.except,
    limit: q.limit,
  });
}

/** Seconds until a sign-in for this email from this IP is allowed again; 0 when it is. */
async function blockedFor(svc: Services, email: string, ip: string, except: string) {
  for (const [from, limit] of [
    [ip, THROTTLE.perIp],
    [null, THROTTLE.perEmail],
  ] as const) {
    const times = await failureTimes(svc, { email, ip: from, limit, except });
    const oldest = times[limit - 1];
    if (oldest !== undefined)
      return Math.max(1, Math.ceil((oldest + THROTTLE.windowMs - Date.now()) / 1000));
  }
  return 0;
}

export interface SignInReservation {
  /** the attempt's audit event, recorded as a failure until settled */
  eventId: string;
  /** seconds to wait when the attempt is throttled (its event is then settled as denied) */
  blockedFor: number;
}

/** Records the attempt, then decides whether it may go on. */
export async function reserveSignIn(
  svc: Services,
  ctx: Ctx,
  email: string,
): Promise<SignInReservation> {
  const eventId = await recordAudit(svc.db.db, ctx, {
    action: SIGN_IN,
    outcome: "failure",
    targetType: "email",
    targetId: email,
    diff: { status: null },
  });
  const wait = await blockedFor(svc, email, ctx.ip ?? "", eventId);
  if (wait > 0)
    await settleAudit(svc.db.db, eventId, ctx, {
      outcome: "denied",
      diff: { reason: "throttled" },
    });
  return { eventId, blockedFor: wait };
}
