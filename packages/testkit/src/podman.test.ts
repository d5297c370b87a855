import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTPD_IMAGE, type PodmanServer, startPodman } from "./podman.ts";
import { freePort } from "./ports.ts";

let engine: PodmanServer | null = null;
beforeAll(async () => {
  engine = await startPodman();
}, 60_000);
afterAll(async () => {
  await engine?.stop();
}, 60_000);

describe("startPodman", () => {
  it("serves the Docker API and runs the httpd image on a published port", async (t) => {
    if (!engine) return t.skip();
    const port = await freePort();
    const created = await engine.api("POST", "/containers/create?name=web", {
      Image: HTTPD_IMAGE,
      ExposedPorts: { "8080/tcp": {} },
      HostConfig: { PortBindings: { "8080/tcp": [{ HostPort: String(port) }] } },
    });
    expect(created.status).toBe(201);
    expect((await engine.api("POST", "/containers/web/start")).status).toBe(204);
    let text = "";
    for (let i = 0; i < 50 && !text; i++) {
      text = await fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.text())
        .catch(() => "");
      if (!text) await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toBe("steward httpd\n");
    expect(engine.version).toMatch(/^\d+\.\d+/);
  });
});
