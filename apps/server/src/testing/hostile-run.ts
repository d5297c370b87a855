// Sends a module's hostile cases (hostile-cases.ts) to a test server and lists what went
// wrong: an answer other than the 4xx naming the field, or a table that changed.
import { snapshot } from "./fixtures.ts";
import type { TestServer } from "./harness.ts";
import { expected, Raw, refusal } from "./hostile.ts";
import type { Case } from "./hostile-cases.ts";

export async function hostileWrong(s: TestServer, key: string, cases: Case[]) {
  const wrong: unknown[] = [];
  for (const [method, path, body, status, code, field] of cases) {
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
    if (JSON.stringify(before) !== JSON.stringify(after)) wrong.push({ path, changed: true });
  }
  return wrong;
}
