// Hostile input for the mail API on both dialects, the full table of
// testing/hostile-mail-cases.ts: each value is a 4xx naming its field, and nothing is written
// (a snapshot of every table before and after each request).
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../../testing/fixtures.ts";
import { expected, Raw, refusal } from "../../testing/hostile.ts";
import { type HostileMail, mailCases } from "../../testing/hostile-mail-cases.ts";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

describe.each(dialects())("hostile input for mail on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let t: HostileMail;
  beforeAll(async () => {
    const node = await trustedNode(s, "mail-hostile");
    const domain = await s.svc.mail.create(s.cli, {
      name: "hostile-target.example.org",
      node,
      account: w.a,
    });
    const box = await s.svc.mail.createMailbox(s.cli, domain.id, {
      localPart: "target",
      password: "target-password-1",
      quotaMb: 0,
      enabled: true,
    });
    t = { node, domain: domain.id, mailbox: box.id };
  });

  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    const wrong: unknown[] = [];
    for (const [method, path, body, status, code, field, says] of mailCases(t)) {
      const before = await snapshot(s);
      const res =
        body instanceof Raw
          ? await s.request(method, path, {
              key: w.keys.super,
              body: body.text,
              headers: { "content-type": body.contentType },
            })
          : await s.request(method, path, { key: w.keys.super, body });
      const after = await snapshot(s);
      const label = `${method} ${path.slice(0, 120)} ${JSON.stringify(body)?.slice(0, 120)}`;
      const got = refusal(res, field);
      if (JSON.stringify(got) !== JSON.stringify(expected(status, code, field)))
        wrong.push({ label, got });
      if (says && !JSON.stringify(res.body).includes(says))
        wrong.push({ label, says, res: res.body });
      const changed = Object.keys(after).filter(
        (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
      );
      if (changed.length) wrong.push({ label, changed });
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
