// Measures one running panel for bench:api: its /healthz without credentials (the floor of
// this system), then for each actor every list variant it may call, page 1 and a deep page,
// each endpoint alone with every client (bench/load/generate.ts, sequential).
import { drive } from "../load/drive.ts";
import type { Endpoint, EndpointResult, Plan } from "../load/generate.ts";
import { settle } from "../load/settle.ts";
import { ACTORS, type ActorName, type Credentials, credentialsOf } from "./access.ts";
import { type Values, type Variant, variantsOf } from "./endpoints.ts";
import type { Prepared } from "./prepare.ts";

export interface Result {
  system: string;
  actor: ActorName;
  endpoint: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** the panel's CPU per answer while measured (none for the bare Fastify floor) */
  cpuMsPerAnswer?: number;
  /** the longest the panel's event loop was held up while measured */
  loopDelayMaxMs?: number;
}

export interface Load {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  timeoutSeconds: number;
  /** pages of 200 followed before the deep page */
  deepPages: number;
  /** the way each actor signs in, in turn: ["key", "cookie"] gives super a key, admin a cookie… */
  auth: ("key" | "cookie")[];
  /** only the endpoints whose label contains one of these */
  only?: string[];
  /** the actors measured, of ACTORS */
  actors: ActorName[];
}

/** After each endpoint, the panel's requests still at work or waiting are awaited. */
const SETTLE = { path: "/metrics", busy: "^steward_http_requests_(active|waiting) [1-9]" };

const say = (m: string) => process.stderr.write(`bench: ${m}\n`);

export const resultOf = (system: string, actor: ActorName, e: EndpointResult): Result => ({
  system,
  actor,
  endpoint: e.endpoint,
  reqPerSec: e.reqPerSec,
  p50Ms: e.p50Ms,
  p99Ms: e.p99Ms,
  errors: e.errors + e.timeouts,
  cpuMsPerAnswer: e.cpuMsPerAnswer,
  loopDelayMaxMs: e.loopDelayMaxMs,
});

/** One sequential run of the generator over `endpoints`, labelled by their names. */
export async function measure(
  url: string,
  load: Load,
  endpoints: Endpoint[],
  settle?: Plan["settle"],
) {
  const plan: Plan = {
    url,
    headers: {},
    connections: load.connections,
    durationSeconds: load.durationSeconds,
    warmupSeconds: load.warmupSeconds,
    timeoutSeconds: load.timeoutSeconds,
    endpoints,
    sequential: true,
    settle,
  };
  const out = await drive(plan, (line) => say(line));
  return out.map((r, i) => ({ ...r, endpoint: endpoints[i]?.name ?? r.endpoint }));
}

async function getJson(
  url: string,
  path: string,
  headers: Record<string, string>,
  timeoutS: number,
) {
  const res = await fetch(`${url}${path}`, {
    headers,
    signal: AbortSignal.timeout(timeoutS * 1000),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read by shape
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new Error(`GET ${path} answered ${res.status} with something else than JSON`);
  }
  return { status: res.status, body };
}

const withQuery = (path: string, q: string) => `${path}${path.includes("?") ? "&" : "?"}${q}`;

/** Ids the filters name, asked of the API as the super user. */
async function valuesOf(
  url: string,
  p: Prepared,
  headers: Record<string, string>,
): Promise<Values> {
  const account = p.adminAccounts[0] ?? "";
  const first = async (path: string) => {
    const r = await getJson(url, path, headers, 60);
    const id = r.body?.items?.[0]?.id;
    if (typeof id !== "string") throw new Error(`${path} answered ${r.status} without items`);
    return id;
  };
  return {
    account,
    site: await first(`/api/v1/sites?account=${account}&limit=1`),
    node: await first("/api/v1/nodes?limit=1"),
    task: await first(`/api/v1/tasks?account=${account}&limit=1`),
    group: await first("/api/v1/groups?q=bench-admins&limit=1"),
    user: p.users.admin.id,
    userEmail: p.users.admin.email,
  };
}

/** Waits for the panel to finish what probes that gave up left it working on. */
async function afterTimeout(url: string, load: Load) {
  if (!(await settle(url, SETTLE, load.timeoutSeconds * 6))) say("the panel is still busy");
}

/**
 * A cursor from deep in each list (after `deepPages` pages of 200), read once as the super
 * user, who sees every row: the same for every actor, as a link deep into the data would be.
 */
async function deepCursors(
  url: string,
  variants: Variant[],
  headers: Record<string, string>,
  load: Load,
) {
  const cursors = new Map<string, string>();
  for (const v of variants) {
    let cursor: string | null = null;
    try {
      for (let i = 0; i < load.deepPages; i++) {
        const q = `limit=200${cursor ? `&cursor=${cursor}` : ""}`;
        const page = await getJson(url, withQuery(v.path, q), headers, load.timeoutSeconds * 3);
        cursor = typeof page.body?.nextCursor === "string" ? page.body.nextCursor : null;
        if (!cursor) break;
      }
    } catch (err) {
      say(`${v.label}: no deep page (${(err as Error).message})`);
      cursor = null;
      await afterTimeout(url, load);
    }
    if (cursor) cursors.set(v.label, cursor);
  }
  return cursors;
}

/**
 * The endpoints an actor measures: each variant it may call (asked once; a refusal, 403 or
 * 404, is reported and skipped), and its deep page when the list goes that deep.
 */
async function endpointsFor(
  url: string,
  variants: Variant[],
  headers: Record<string, string>,
  load: Load,
  cursors: Map<string, string>,
) {
  const out: Endpoint[] = [];
  const refused: string[] = [];
  for (const v of variants) {
    const probe = withQuery(v.path, "limit=1");
    const asked = performance.now();
    const status = await getJson(url, probe, headers, load.timeoutSeconds * 3).then(
      (r) => r.status,
      () => 0, // too slow to ask: measured all the same
    );
    // one request alone taking this long holds a SQLite panel's event loop as long
    const took = performance.now() - asked;
    if (took > 1000) say(`${v.label}: one request alone took ${(took / 1000).toFixed(1)} s`);
    if (status === 0) await afterTimeout(url, load);
    if (status === 403 || status === 404) {
      refused.push(v.label);
      continue;
    }
    out.push({ name: v.label, method: "GET", path: v.path, headers });
    const cursor = cursors.get(v.label);
    if (cursor)
      out.push({
        name: withQuery(v.label, "cursor=deep"),
        method: "GET",
        path: withQuery(v.path, `cursor=${cursor}`),
        headers,
      });
  }
  return { endpoints: out, refused };
}

/** `origin`: the panel's public URL (http://localhost:PORT); requests go to 127.0.0.1. */
/** Measures the panel; each result is added to `results` as it comes (a run cut short keeps them). */
export async function measurePanel(
  system: string,
  origin: string,
  p: Prepared,
  load: Load,
  results: Result[],
) {
  const url = `http://127.0.0.1:${new URL(origin).port}`;
  const creds: Record<string, Credentials> = {};
  for (const actor of ACTORS) creds[actor] = await credentialsOf(origin, p.users[actor].email);
  const auth = (actor: ActorName) => {
    const way = load.auth[ACTORS.indexOf(actor) % load.auth.length] ?? "key";
    return { way, headers: creds[actor]?.[way] ?? {} };
  };
  const values = await valuesOf(url, p, auth("super").headers);
  const doc = (await getJson(url, "/api/openapi.json", {}, 60)).body;
  const { variants, skipped } = variantsOf(doc, values);
  for (const s of skipped) say(`${system}: not measured: ${s}`);
  const picked = variants.filter((v) => !load.only || load.only.some((o) => v.label.includes(o)));
  const floor = await measure(url, load, [
    { name: "GET /healthz", method: "GET", path: "/healthz" },
  ]);
  for (const r of floor)
    results.push(
      resultOf("floor-healthz", "none", { ...r, endpoint: `${r.endpoint} (${system})` }),
    );
  const cursors = await deepCursors(url, picked, auth("super").headers, load);
  for (const actor of load.actors) {
    const { way, headers } = auth(actor);
    const { endpoints, refused } = await endpointsFor(url, picked, headers, load, cursors);
    if (refused.length) say(`${system}/${actor}: refused (not measured): ${refused.join(", ")}`);
    say(`${system}/${actor} (${way}): ${endpoints.length} endpoints`);
    const measured = await measure(url, load, endpoints, SETTLE);
    for (const r of measured) results.push(resultOf(system, actor, r));
  }
}
