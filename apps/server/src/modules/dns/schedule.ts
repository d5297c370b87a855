// A zone's change, scheduled: the next serial (YYYYMMDDnn), status pending, and the apply task
// (one at a time per zone: a task still waiting is brought forward and reused), in the
// caller's transaction. The API's changes and the dns-01 hook both go through here.
import { nextSerial } from "@steward/contracts/dns";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Engine } from "../../engine/engine.ts";
import * as repo from "./repo.ts";
import { DNS_ZONE_APPLY } from "./tasks.ts";

export async function enqueueApply(
  engine: Engine,
  trx: Kysely<Database>,
  zone: { id: string; account_id: string },
) {
  const { task } = await engine.enqueue(
    {
      kind: DNS_ZONE_APPLY,
      payload: { zoneId: zone.id },
      target: { type: "dns_zone", id: zone.id },
      accountId: zone.account_id,
      bringForward: true,
    },
    trx,
  );
  await repo.updateZone(trx, zone.id, { task_id: task.id });
  return task.id;
}

/** Moves the serial on and enqueues the apply; answers the new serial and the task. */
export async function scheduleChange(
  engine: Engine,
  trx: Kysely<Database>,
  zone: repo.ZoneRow,
): Promise<{ serial: number; taskId: string }> {
  // read again inside the transaction: two changes at once still get two serials
  const current = (await repo.findZone(trx, zone.id)) ?? zone;
  const serial = nextSerial(Number(current.serial), new Date());
  await repo.updateZone(trx, zone.id, { serial, status: "pending" });
  return { serial, taskId: await enqueueApply(engine, trx, zone) };
}
