// A node's directory as a backup destination, tested by the node's real agent (enrolled through
// the API, backup.destination.test): the probe written, read back and deleted there; a
// directory it cannot write refused with the step; an unknown node answered as such; and only
// those who manage nodes have an agent write there (an account's admin keeps it untested).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NginxServer, startNginx } from "@steward/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrollRealNode, type RealNode } from "../../testing/real-node.ts";
import { useServer, useWorld } from "../../testing/use-server.ts";

let nginx: NginxServer;
let dir: string;
beforeAll(async () => {
  const n = await startNginx({ listen: "127.0.0.6" });
  if (!n) throw new Error("nginx is needed");
  nginx = n;
  dir = mkdtempSync(join(tmpdir(), "stw-backup-node-"));
}, 60_000);
afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("a node's directory tested by its agent", () => {
  const s = useServer("sqlite");
  const w = useWorld(s);
  let node: RealNode;
  beforeAll(async () => {
    node = await enrollRealNode(s, w.keys.super, { name: "backup-node", nginx });
  }, 120_000);
  afterAll(() => node?.close());

  const create = (key: string, nodeId: string, path: string, saveAnyway = false) =>
    s.request("POST", "/api/v1/backup-destinations", {
      key,
      body: {
        name: `local-${w.unique()}`,
        accountId: w.a,
        settings: { kind: "local", nodeId, path },
        saveAnyway,
      },
    });

  it("writes, reads back and deletes a probe object in the node's directory", async () => {
    const path = join(dir, "backups", "steward");
    const made = await create(w.keys.super, node.id, path);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.lastTest).toMatchObject({ ok: true, step: null });
    expect(readdirSync(path)).toEqual([]);
    const tested = await s.request("POST", `/api/v1/backup-destinations/${made.body.id}/test`, {
      key: w.keys.super,
    });
    expect(tested.body).toMatchObject({ ok: true, step: null });
    expect(readdirSync(path)).toEqual([]);
  });

  it("refuses a directory the agent cannot write, naming the step, unless saveAnyway", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "not a directory");
    const refused = await create(w.keys.super, node.id, join(file, "backups"));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/the destination test failed \(write\).*ENOTDIR/);
    const kept = await create(w.keys.super, node.id, join(file, "backups"), true);
    expect(kept.status).toBe(201);
    expect(kept.body.lastTest).toMatchObject({ ok: false, step: "write" });
  });

  it("answers a node whose agent cannot be asked with the step node", async () => {
    const made = await create(w.keys.super, "nod_00000000000000000000000000", join(dir, "x"), true);
    expect(made.status).toBe(201);
    expect(made.body.lastTest).toMatchObject({ ok: false, step: "node" });
  });

  it("refuses an account admin a node's directory: the agent writes there as itself", async () => {
    const path = join(dir, "tenant");
    const refused = await create(w.keys.accountAdmin, node.id, path, true);
    expect(refused.status).toBe(403);
    expect(() => readdirSync(path)).toThrow(/ENOENT/);
  });
});
