// The real `steward` CLI as a child process: apps. Nothing deploys here (no worker, no agent;
// the end-to-end deploy on Podman is apps/server/src/modules/apps/apps-api.test.ts): what the
// CLI accepts, writes and prints, and refusals naming the flag with nothing written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward app", () => {
  it("creates, lists and shows an app; secret values stay sealed; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "apps-1", "--agent-url", "https://127.0.0.1:1"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const { id: account } = await c.json<{ id: string }>([
      ...["account", "create", "--slug", "apps", "--name", "Apps"],
    ]);
    const secrets = join(c.dataDir, "secrets.env");
    writeFileSync(secrets, "# sealed\nAPI_TOKEN=s3cr3t=yes\n");
    const base = ["app", "create", "--account", account, "--node", "apps-1"];
    const out = await c.ok([
      ...base,
      ...["--image", "excalidraw/excalidraw:latest", "--env", "MODE=prod"],
      ...["--secret-env-file", secrets, "--port", "80", "--volume", "data:/data"],
      ...["--health-cmd", '["wget","-q","http://127.0.0.1/"]'],
    ]);
    expect(out).toMatch(/^app excalidraw \(app_\w+\)\ntask task_\w+ deploys it\n$/);
    const second = await c.json<{ name: string; id: string }>([
      ...base,
      ...["--image", "excalidraw/excalidraw:latest"],
    ]);
    expect(second.name).toBe("excalidraw-2");
    const listed = await c.json<{ items: { name: string; env: unknown[] }[] }>([
      ...["app", "list", "--account", account],
    ]);
    expect(listed.items.map((a) => a.name)).toEqual(["excalidraw-2", "excalidraw"]);
    expect(listed.items[1]?.env).toEqual([
      { key: "MODE", value: "prod", secret: false },
      { key: "API_TOKEN", value: null, secret: true },
    ]);
    // pages and filters, as every list command (each filter's rows: apps-list.test.ts)
    const first = await c.json<{ items: { name: string }[]; nextCursor: string }>([
      ...["app", "list", "--limit", "1"],
    ]);
    expect(first.items.map((a) => a.name)).toEqual(["excalidraw-2"]);
    const table = await c.ok(["app", "list", "--account", "apps", "--limit", "1"]);
    expect(table).toContain("excalidraw-2");
    expect(table).toContain(`more: --cursor ${first.nextCursor}`);
    const rest = await c.json<{ items: { name: string }[]; nextCursor: string | null }>([
      ...["app", "list", "--limit", "1", "--cursor", first.nextCursor],
      ...["--node", "apps-1", "--status", "deploying", "--source", "image", "--search", "XCAL"],
    ]);
    expect(rest).toEqual({
      items: [expect.objectContaining({ name: "excalidraw" })],
      nextCursor: null,
    });
    const stopped = await c.json<{ items: unknown[] }>(["app", "list", "--status", "stopped"]);
    expect(stopped.items).toEqual([]);
    for (const [args, flag] of [
      [["--status", "up"], "--status"],
      [["--source", "docker"], "--source"],
      [["--node", "x'; --"], "--node"],
      [["--search", "a\nb"], "--search"],
      [["--cursor", "a;b"], "--cursor"],
    ] as const)
      expect(await c.fails(["app", "list", ...args], 2)).toContain(flag);
    const shown = await c.ok(["app", "show", second.id]);
    expect(shown).toContain("excalidraw-2");
    expect(await c.fails(["app", "remove", second.id], 2)).toMatch(
      /--yes: removing app excalidraw-2 keeps its volumes/,
    );
    const count = () => (db.prepare("SELECT count(*) AS n FROM apps").get() as { n: number }).n;
    for (const [args, flag] of [
      [["--image", "busybox; rm -rf /"], "--image"],
      [["--image", "--privileged"], "--image"],
      [["--image", "busybox", "--env", "A=B=C", "--env", "BAD KEY=x"], "--env"],
      [["--image", "busybox", "--env", "novalue"], "--env"],
      [["--image", "busybox", "--port", "0"], "--port"],
      [["--image", "busybox", "--port", "65536"], "--port"],
      [["--image", "busybox", "--port", "80:22"], "--port"],
      [["--image", "busybox", "--port", "80;id"], "--port"],
      [["--image", "busybox", "--volume", "../etc:/data"], "--volume"],
      [["--image", "busybox", "--name", "../x"], "--name"],
      [["--image", "busybox", "--restart", "sometimes"], "--restart"],
      [["--image", "busybox", "--health-cmd", "wget -q"], "--health-cmd"],
      [["--image", "busybox", "--health-cmd", '["wget\\nx"]'], "--health-cmd"],
    ] as const)
      expect(await c.fails([...base, ...args], 2)).toContain(flag);
    expect(count()).toBe(2);
    expect(await c.fails(["app", "show", "x'; --"], 2)).toContain("<id>");
    expect(await c.fails(["node", "prune", "apps-1"], 2)).toContain("--images");
    // the node's agent does not answer: said, nothing changed
    expect(await c.fails(["app", "stop", second.id], 1)).toContain("did not answer");
    db.close();
  }, 240_000);
});
