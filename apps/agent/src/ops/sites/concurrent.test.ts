// Several site operations at once on one node (one real nginx and PHP-FPM): each stages
// into the same nginx configuration, tests it and reloads it. Without the per-service locks
// one site's half-staged change (a removal that has moved its logs aside while its nginx file
// is still there) failed another's `nginx -t`, and reloads overlapped. Every one must succeed.
import { afterAll, describe, expect, it } from "vitest";
import { startSiteNode, type TestNode, testUser } from "../../testing/node.ts";

const sites = await startSiteNode({ php: true });
const node = sites.php ? sites.node : null;

afterAll(sites.stop);

const N = 6;

describe.skipIf(!node)("site operations running at once on one node", () => {
  const n = node as TestNode;
  const sites = Array.from({ length: N }, (_, i) => ({
    id: `conc${i}`,
    kind: i % 3 === 0 ? ("php" as const) : ("static" as const),
    domains: [`conc${i}.test`],
    aliases: [`old-conc${i}.test`],
    user: testUser(),
  }));
  const failures = (rs: { status: string; error?: { message: string } | undefined }[]) =>
    rs.flatMap((r, i) => (r.status === "ok" ? [] : [`conc${i}: ${r.error?.message}`]));

  it("creates, changes and removes sites in parallel on a fresh node, every one succeeding", async () => {
    const created = await Promise.all(sites.map((s) => n.apply(s)));
    expect(failures(created)).toEqual([]);
    // the alias redirects to the site (a PHP site without an index answers / with 403)
    for (const s of sites) expect((await n.nginx.request(`old-${s.id}.test`)).status).toBe(301);

    // half are removed with their files while the other half are suspended
    const mixed = await Promise.all(
      sites.map((s, i) =>
        i < N / 2
          ? n.remove({ id: s.id, user: s.user, keepFiles: false })
          : n.apply({ ...s, suspended: true }),
      ),
    );
    expect(failures(mixed)).toEqual([]);
    for (const [i, s] of sites.entries())
      expect((await n.nginx.request(`${s.id}.test`)).status).toBe(i < N / 2 ? 404 : 503);

    const removed = await Promise.all(
      sites.slice(N / 2).map((s) => n.remove({ id: s.id, user: s.user, keepFiles: false })),
    );
    expect(failures(removed)).toEqual([]);
    for (const s of sites) {
      expect((await n.nginx.request(`${s.id}.test`)).status).toBe(404);
      expect((await n.nginx.request(`old-${s.id}.test`)).status).toBe(404);
    }
  });
});
