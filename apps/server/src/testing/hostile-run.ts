// Sends a module's hostile cases (hostile-cases.ts) to a test server and lists what went
// wrong: an answer other than the 4xx naming the field, or a table that changed (named).
import { expect } from "vitest";
import { tasksRunning } from "./engine.ts";
import { snapshot } from "./fixtures.ts";
import type { TestServer } from "./harness.ts";
import { expected, Raw, refusal } from "./hostile.ts";
import type { Case } from "./hostile-cases.ts";

/**
 * Waits until no task runs: one the test started earlier (a backup's run, its follow-ups) may
 * still be ending on a loaded machine, and its writes are not the request's.
 */
async function noTaskRunning(s: TestServer) {
  await expect.poll(() => tasksRunning(s.svc.db), { timeout: 60_000 }).toBe(0);
}

export async function hostileWrong(s: TestServer, key: string, cases: Case[]) {
  const wrong: unknown[] = [];
  for (const [method, path, body, status, code, field] of cases) {
    await noTaskRunning(s);
    const before = await snapshot(s);
    const res =
      body instanceof Raw
        ? await s.request(method, path, {
            key,
            body: body.text,
            headers: { "content-type": body.contentType },
          })
        : await s.request(method, path, { key, body });
    const after = await snapshot(s);
    const got = refusal(res, field);
    if (JSON.stringify(got) !== JSON.stringify(expected(status, code, field)))
      wrong.push({
        method,
        path: path.slice(0, 100),
        body: JSON.stringify(body)?.slice(0, 100),
        got,
      });
    const changed = Object.keys(before).filter(
      (table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]),
    );
    if (changed.length > 0) wrong.push({ path, changed });
  }
  return wrong;
}
