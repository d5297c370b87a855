// The visual check's browser against the machine's Debian Chromium and two local HTTP servers:
// the site (its home page redirects within its origin, draws a red block, and tries to reach
// another origin by an image, a fetch, a POST and a WebSocket) and that other origin, which
// counts every TCP connection it is offered. The screenshot shows the page; the other origin
// gets no connection at all; the site gets only GETs, made by the panel under the outbound
// policy, and none when the policy refuses its address.
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { freePort, missing } from "@steward/testkit";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cmsPolicy } from "./outbound.ts";
import { DEFAULT_CHROMIUM } from "./visual-check.ts";
import { openShooter, type Shooter, VIEWPORT } from "./visual-shot.ts";

const chromium = process.env.STEWARD_CHROMIUM ?? DEFAULT_CHROMIUM;
const present = existsSync(chromium) || missing("Chromium", "apt-get install chromium") !== null;

const policy = (allow: string[]) =>
  cmsPolicy({
    listen: "127.0.0.1",
    port: 1,
    publicUrl: undefined,
    outboundAllow: allow,
    outboundDeny: [],
  });

async function listen(server: Server) {
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
  return `http://127.0.0.1:${port}`;
}

describe.skipIf(!present)("the visual check's browser", () => {
  const seen: string[] = [];
  let connections = 0;
  let site = "";
  let other = "";
  let shooter: Shooter | null = null;
  const elsewhere = createServer((_req, res) => res.end("no"));
  elsewhere.on("connection", () => connections++);
  const home = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === "/") return res.writeHead(302, { location: "/home" }).end();
    if (req.url !== "/home") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      `<!doctype html><body style="margin:0">
        <div style="width:640px;height:800px;background:#d00"></div>
        <img src="${other}/i.png">
        <script>
          fetch("${other}/f").catch(() => {});
          fetch("/post", { method: "POST", body: "x" }).catch(() => {});
          try { new WebSocket("${other.replace("http", "ws")}/ws"); } catch {}
        </script>`,
    );
  });

  beforeAll(async () => {
    other = await listen(elsewhere);
    site = await listen(home);
  });
  afterAll(async () => {
    await shooter?.close();
    home.close();
    elsewhere.close();
  });

  it("screenshots the site's page, its requests made by the panel, nothing else reached", async () => {
    const opened = await openShooter({
      executable: chromium,
      url: `${site}/`,
      policy: policy(["127.0.0.1/32"]),
    });
    if (typeof opened === "string") throw new Error(opened);
    shooter = opened;
    const png = PNG.sync.read(await shooter.shoot());
    expect([png.width, png.height]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    const at = (x: number, y: number) => [
      ...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3),
    ];
    expect(at(100, 400)).toEqual([0xdd, 0, 0]);
    expect(at(1000, 400)).toEqual([0xff, 0xff, 0xff]);
    await new Promise((r) => setTimeout(r, 500));
    expect(connections).toBe(0);
    expect(seen).toContain("GET /");
    expect(seen).toContain("GET /home");
    expect(seen.filter((s) => !s.startsWith("GET "))).toEqual([]);
  });

  it("reaches nothing when the outbound policy refuses the site's address", async () => {
    seen.length = 0;
    const opened = await openShooter({
      executable: chromium,
      url: `${site}/`,
      policy: policy([]),
      timeoutMs: 10_000,
    });
    if (typeof opened === "string") throw new Error(opened);
    try {
      await expect(opened.shoot()).rejects.toThrow();
    } finally {
      await opened.close();
    }
    expect(seen).toEqual([]);
    expect(connections).toBe(0);
  });

  it("says why there is no browser when Chromium is missing", async () => {
    expect(
      await openShooter({ executable: "/nonexistent/chromium", url: site, policy: policy([]) }),
    ).toMatch(/^Chromium is not installed on the panel's machine \(\/nonexistent\/chromium/);
  });
});
