// The web console is served at /: its files, index.html for page addresses (deep links),
// never a page for /api, nothing outside its directory, and a clear page when not built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useServer } from "../testing/use-server.ts";

const dir = mkdtempSync(join(tmpdir(), "steward-console-"));
mkdirSync(join(dir, "assets"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
writeFileSync(join(dir, "assets", "app-abc123.js"), "console.log(1)");
writeFileSync(join(dir, "theme.js"), "/* theme */");
writeFileSync(join(tmpdir(), "steward-console-secret.txt"), "TOP-SECRET-CONTENT");

describe("console", () => {
  const s = useServer("sqlite", { env: { STEWARD_CONSOLE_DIR: dir } });
  const bare = useServer("sqlite", { env: { STEWARD_CONSOLE_DIR: join(dir, "missing") } });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves index.html for pages, revalidated", async () => {
    for (const path of ["/", "/users", "/tasks/task_123?x=1", "/sign-in?redirect=%2Fusers"]) {
      const res = await fetch(s.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await res.text()).toContain("<title>console</title>");
    }
  });

  it("sends helmet's security headers with pages and API answers alike", async () => {
    for (const path of ["/", "/healthz", "/api/v1/me"]) {
      const res = await fetch(s.url + path);
      const header = (name: string) => res.headers.get(name);
      expect(header("content-security-policy"), path).toContain("script-src 'self'");
      expect(header("content-security-policy"), path).not.toContain("upgrade-insecure-requests");
      expect(header("strict-transport-security"), path).toMatch(/^max-age=\d+/);
      expect(header("x-content-type-options"), path).toBe("nosniff");
      expect(header("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(header("x-powered-by"), path).toBeNull();
    }
  });

  it("serves hashed assets for good and top-level files", async () => {
    const a = await fetch(`${s.url}/assets/app-abc123.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await a.text()).toBe("console.log(1)");
    const t = await fetch(`${s.url}/theme.js`);
    expect(t.status).toBe(200);
    expect(t.headers.get("cache-control")).toBe("no-cache");
  });

  it("never answers /api or missing files with the page", async () => {
    for (const path of ["/api/v1/nope", "/api", "/assets/missing.js", "/missing.png"]) {
      const res = await fetch(s.url + path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect((await res.json()).error.code).toBe("NOT_FOUND");
    }
    const post = await fetch(`${s.url}/users`, { method: "POST" });
    expect(post.status).toBe(404);
  });

  it("serves nothing outside its directory", async () => {
    for (const path of [
      "/assets/..%2f..%2fsteward-console-secret.txt",
      "/..%2fsteward-console-secret.txt",
      "/assets/%2e%2e/%2e%2e/steward-console-secret.txt",
      "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/assets/..%5c..%5csteward-console-secret.txt",
    ]) {
      const res = await fetch(s.url + path);
      const body = await res.text();
      expect(body, path).not.toContain("TOP-SECRET-CONTENT");
      expect(body, path).not.toContain("root:");
    }
  });

  it("says how to build it when it is not built", async () => {
    const res = await fetch(`${bare.url}/users`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("npm run build:web");
    const api = await fetch(`${bare.url}/api/v1/nope`);
    expect(api.status).toBe(404);
  });
});
