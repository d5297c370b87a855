// The visual check's images in the database on both dialects: written with their update, read
// back byte for byte (only through the site they belong to), the oldest pruned past the number
// kept with their history rows saying so, and gone with the site.
import { dialects } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/open.ts";
import { openTestDb } from "../../testing/test-db.ts";
import {
  findShot,
  forgetSite,
  historyOfSite,
  insertHistory,
  insertShots,
  pruneShots,
} from "./update-repo.ts";

const SITE = "cms_0000000000000000000000shot";

describe.each(dialects())("an update's images on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb(dialect);
  });
  afterAll(() => db?.close());

  const update = async (n: number) => {
    const entry = { id: `cuh_00000000000000000000000${n}`, site_id: SITE };
    await insertHistory(db.db, {
      ...entry,
      account_id: "acc_x",
      task_id: null,
      ext_type: "plugin",
      ext_slug: "hello/hello.php",
      from_version: "1.0.0",
      to_version: "1.1.0",
      outcome: "succeeded",
      message: "ok",
      status_before: 200,
      status_after: 200,
      visual_percent: n,
      visual_threshold: 5,
      visual_shots: 1,
      created_at: n,
    });
    const png = (kind: number) => Buffer.from([0x89, 0x50, n, kind, 0, 0xff]);
    await insertShots(db.db, entry, { before: png(1), after: png(2), diff: png(3) });
    return entry.id;
  };

  it("keeps them byte for byte, prunes the oldest past the number kept, forgets them with the site", async () => {
    const ids = [await update(1), await update(2), await update(3)];
    const got = await findShot(db.db, SITE, ids[1] ?? "", "after");
    expect(Buffer.from(got?.png ?? [])).toEqual(Buffer.from([0x89, 0x50, 2, 2, 0, 0xff]));
    expect(await findShot(db.db, "cms_other", ids[1] ?? "", "after")).toBeUndefined();

    await pruneShots(db.db, SITE, 2);
    expect(await findShot(db.db, SITE, ids[0] ?? "", "before")).toBeUndefined();
    expect(await findShot(db.db, SITE, ids[1] ?? "", "diff")).toBeDefined();
    const rows = await historyOfSite(db.db, SITE, 10);
    expect(rows.map((r) => [r.id, Number(r.visual_shots)])).toEqual([
      [ids[2], 1],
      [ids[1], 1],
      [ids[0], 0],
    ]);
    await pruneShots(db.db, SITE, 2);
    expect(await findShot(db.db, SITE, ids[1] ?? "", "diff")).toBeDefined();

    await forgetSite(db.db, "acc_x", SITE);
    expect(await findShot(db.db, SITE, ids[2] ?? "", "diff")).toBeUndefined();
  });
});
