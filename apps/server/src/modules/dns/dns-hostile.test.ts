// Hostile input for the DNS zones API on both dialects, the full table of
// testing/hostile-dns-cases.ts: each value is a 4xx naming its field, and nothing is written
// (a snapshot of every table before and after each request).
import { dialects } from "@steward/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../../testing/fixtures.ts";
import { expected, Raw, refusal } from "../../testing/hostile.ts";
import { dnsCases, type HostileDns } from "../../testing/hostile-dns-cases.ts";
import { trustedNode } from "../../testing/trusted-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";
import { updateZone } from "./repo.ts";

describe.each(dialects())("hostile input for DNS zones on %s", (dialect) => {
  const s = useServer(dialect);
  const w = useWorld(s);
  let t: HostileDns;
  beforeAll(async () => {
    const node = await trustedNode(s, "dns-hostile");
    const zone = await s.svc.dns.create(s.cli, {
      name: "hostile-target.example.org",
      node,
      account: w.a,
      records: [
        { name: "@", type: "NS", ttl: 3600, value: "ns1.example.net." },
        { name: "www", type: "A", ttl: 3600, value: "192.0.2.1" },
      ],
    });
    // as if its node had served it with BIND: signing it is refused
    await updateZone(s.svc.db.db, zone.id, { backend: "bind" });
    const records = await s.svc.dns.records(s.cli, zone.id);
    const spare = await trustedNode(s, "dns-hostile-spare");
    t = { node, zone: zone.id, record: records.items[1]?.id ?? "", spare };
  });

  it("refuses every hostile value with a 4xx naming the field, and writes nothing", async () => {
    const wrong: unknown[] = [];
    for (const [method, path, body, status, code, field, says] of dnsCases(t)) {
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
