// The Cloudflare fake's batch endpoint (`POST /zones/{id}/dns_records/batch`): a body of
// `deletes` ([{id}]), `puts` ([{id, ...record}]) and `posts` ([record]) arrays (no other key;
// `patches` exists in the API but Steward sends none, so the fake refuses it), at most
// FAKE_BATCH_MAX changes, applied in the API's order (deletes, then puts, then posts) to a
// copy of the zone's records: the first refusal leaves the zone as it was.
import {
  type FakeRecord,
  identical,
  isRefusal,
  type RecordFields,
  type Refusal,
} from "./cloudflare-fake-records.ts";

/** The most changes one batch may hold (the free plan's limit). */
export const FAKE_BATCH_MAX = 200;

type Failed = { refusal: { status: number; code: number; message: string } };
type Done = {
  next: Map<string, FakeRecord>;
  done: { deletes: FakeRecord[]; patches: never[]; puts: FakeRecord[]; posts: FakeRecord[] };
};

const fail = (status: number, code: number, message: string): Failed => ({
  refusal: { status, code, message },
});
const invalid = (why: string) => fail(400, 9207, `Request body is invalid: ${why}`);

export function runBatch(
  body: unknown,
  zoneRecords: ReadonlyMap<string, FakeRecord>,
  ops: {
    check(body: unknown): RecordFields | Refusal;
    store(fields: RecordFields, id?: string): FakeRecord;
  },
): Failed | Done {
  if (!body || typeof body !== "object" || Array.isArray(body)) return invalid("not an object");
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !["deletes", "patches", "puts", "posts"].includes(k));
  if (extra) return invalid(`unknown field ${extra}`);
  const lists = ["deletes", "patches", "puts", "posts"].map((k) => b[k] ?? []);
  if (!lists.every(Array.isArray)) return invalid("deletes, patches, puts and posts are arrays");
  const [deletes = [], patches = [], puts = [], posts = []] = lists as unknown[][];
  if (deletes.length + patches.length + puts.length + posts.length > FAKE_BATCH_MAX)
    return fail(400, 81000, `A batch holds at most ${FAKE_BATCH_MAX} changes.`);
  if (patches.length) return invalid("patches are not expected from Steward");
  const next = new Map(zoneRecords);
  const done: Done["done"] = { deletes: [], patches: [], puts: [], posts: [] };
  for (const d of deletes) {
    const keys = d && typeof d === "object" ? Object.keys(d) : [];
    const id = (d as { id?: unknown } | null)?.id;
    if (keys.length !== 1 || typeof id !== "string") return invalid("a delete is {id}");
    const rec = next.get(id);
    if (!rec) return fail(404, 81044, `Record ${id} does not exist.`);
    next.delete(id);
    done.deletes.push(rec);
  }
  for (const p of puts) {
    const { id, ...rest } = (p ?? {}) as Record<string, unknown>;
    const rec = typeof id === "string" ? next.get(id) : undefined;
    if (!rec) return fail(404, 81044, `Record ${String(id)} does not exist.`);
    const fields = ops.check(rest);
    if (isRefusal(fields)) return fail(400, fields.code, fields.message);
    const put = ops.store(fields, rec.id);
    next.set(rec.id, put);
    done.puts.push(put);
  }
  for (const p of posts) {
    const fields = ops.check(p);
    if (isRefusal(fields)) return fail(400, fields.code, fields.message);
    if ([...next.values()].some((r) => identical(r, fields)))
      return fail(400, 81058, "An identical record already exists.");
    const rec = ops.store(fields);
    next.set(rec.id, rec);
    done.posts.push(rec);
  }
  return { next, done };
}
