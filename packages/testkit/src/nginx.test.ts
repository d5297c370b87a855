import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type NginxServer, startNginx } from "./nginx.ts";
import { type PhpFpmServer, startPhpFpm } from "./php-fpm.ts";

const nginx = await startNginx({ listen: "127.0.0.2" });
const php = await startPhpFpm();
afterAll(async () => {
  await nginx?.stop();
  await php?.stop();
});

describe.skipIf(!nginx)("testkit nginx", () => {
  const n = nginx as NginxServer;
  it("answers 404 for an unknown name, serves a site after a reload", async () => {
    expect((await n.request("unknown.test")).status).toBe(404);
    const root = join(n.dir, "www");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(root);
    writeFileSync(join(root, "index.html"), "hello");
    writeFileSync(
      join(n.sitesDir, "a.conf"),
      `server { listen ${n.listen}:${n.port}; server_name a.test; root ${root}; }\n`,
    );
    const pid = n.pid();
    await n.reload();
    expect((await n.request("a.test")).status).toBe(200);
    expect((await n.request("a.test")).body).toBe("hello");
    expect(n.pid()).toBe(pid);
  });
});

describe.skipIf(!php)("testkit php-fpm", () => {
  const p = php as PhpFpmServer;
  it("runs, tests its configuration and reloads with the same pid", async () => {
    const pid = p.pid();
    expect(pid).not.toBeNull();
    await p.reload();
    await new Promise((r) => setTimeout(r, 300));
    expect(p.pid()).toBe(pid);
  });
});
