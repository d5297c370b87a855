// tunnel.ingress on real files: a preview changes nothing; a hostname is added before the
// catch-all (one added when the file has none) with the file's comments and other keys kept,
// the previous file backed up; a hostname already routed, a file whose ingress is not
// cloudflared's, and a failed restart each change nothing (the previous file restored byte for
// byte). cloudflared itself is not installable here: the agent's schema check validates.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type OpResult,
  type TunnelIngressOutput,
  tunnelIngressInput,
} from "@steward/contracts/agent";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type AgentConfig, parseConfig } from "../../config.ts";
import { runOperation } from "../framework.ts";
import { BACKUP_SUFFIX, tunnelIngress } from "./op.ts";

const dir = mkdtempSync(join(tmpdir(), "steward-tunnel-"));
const file = join(dir, "config.yml");
const ORIGINAL = `# managed by hand, then by Steward
tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/6ff42ae2.json

ingress:
  # the wiki
  - hostname: wiki.example.com
    service: http://localhost:8080
  - service: http_status:404
warp-routing:
  enabled: false
`;
const configOf = (extra: Record<string, unknown> = {}): AgentConfig =>
  parseConfig(dir, {
    nodeId: "n1",
    panelUrl: "http://127.0.0.1:1",
    systemd: false,
    cloudflared: { configFile: file, bin: join(dir, "no-cloudflared-here") },
    ...extra,
  });
const run = (input: unknown, config = configOf()) =>
  runOperation(tunnelIngress, tunnelIngressInput.parse(input), { config, requestId: "req-t" });
const output = (r: OpResult) => {
  expect(r.error).toBeUndefined();
  return r.output as TunnelIngressOutput;
};

describe("tunnel.ingress", () => {
  beforeEach(() => {
    writeFileSync(file, ORIGINAL, { mode: 0o640 });
    rmSync(`${file}${BACKUP_SUFFIX}`, { force: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("previews the file and its rules without changing anything", async () => {
    const out = output(await run({ action: "read" }));
    expect(out).toMatchObject({ changed: false, config: ORIGINAL, restarted: false });
    expect(out.tunnel).toBe("6ff42ae2-765d-4adf-8112-31c55c1551ef");
    expect(out.ingress).toEqual([
      { hostname: "wiki.example.com", path: null, service: "http://localhost:8080" },
      { hostname: null, path: null, service: "http_status:404" },
    ]);
    expect(readFileSync(file, "utf8")).toBe(ORIGINAL);
  });

  it("adds a hostname before the catch-all, keeps comments and keys, backs up, says the restart is the owner's", async () => {
    const out = output(await run({ action: "add", hostname: "app.example.com", port: 3000 }));
    expect(out).toMatchObject({
      changed: true,
      validatedBy: "schema",
      backup: `${file}${BACKUP_SUFFIX}`,
      restarted: false,
      note: expect.stringMatching(/no systemd: restart cloudflared \(cloudflared\) yourself/),
    });
    expect(out.ingress.map((r) => r.hostname)).toEqual([
      "wiki.example.com",
      "app.example.com",
      null,
    ]);
    const text = readFileSync(file, "utf8");
    expect(text).toBe(out.config);
    for (const kept of ["# managed by hand", "# the wiki", "credentials-file:", "warp-routing:"])
      expect(text).toContain(kept);
    expect(text).toMatch(
      /- hostname: app\.example\.com\n\s+service: http:\/\/localhost:3000\n\s+- service: http_status:404/,
    );
    expect(readFileSync(`${file}${BACKUP_SUFFIX}`, "utf8")).toBe(ORIGINAL);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    // the same hostname again: refused, nothing written
    const twice = await run({ action: "add", hostname: "APP.example.com", port: 3001 });
    expect(twice.error).toEqual({
      code: "NAME_TAKEN",
      message: "app.example.com is already routed by this tunnel",
    });
    expect(readFileSync(file, "utf8")).toBe(text);
    // removed again: the catch-all stays last; removing it twice changes nothing
    const removed = output(await run({ action: "remove", hostname: "app.example.com" }));
    expect(removed.ingress.map((r) => r.hostname)).toEqual(["wiki.example.com", null]);
    expect(output(await run({ action: "remove", hostname: "app.example.com" })).changed).toBe(
      false,
    );
  });

  it("adds the catch-all to a file without one, and an ingress to a file without any", async () => {
    writeFileSync(file, "tunnel: t1\ncredentials-file: /x.json\n");
    const out = output(await run({ action: "add", hostname: "a.example.com", port: 80 }));
    expect(out.ingress).toEqual([
      { hostname: "a.example.com", path: null, service: "http://localhost:80" },
      { hostname: null, path: null, service: "http_status:404" },
    ]);
    expect(readFileSync(file, "utf8")).toMatch(
      /^tunnel: t1\ncredentials-file: \/x\.json\ningress:\n/,
    );
  });

  it("refuses a file whose ingress is not cloudflared's, changing nothing", async () => {
    const broken = [
      "ingress:\n  - service: http_status:404\n  - hostname: a.example.com\n    service: http://localhost:1\n",
      "ingress:\n  - hostname: a.example.com\n    service: http://localhost:1\n  - hostname: a.example.com\n    service: http://localhost:2\n  - service: http_status:404\n",
      "ingress: nope\n",
      "ingress: [\n",
    ];
    for (const text of broken) {
      writeFileSync(file, text);
      const r = await run({ action: "add", hostname: "b.example.com", port: 81 });
      expect(r.error?.code, text).toBe("CONFIG");
      expect(readFileSync(file, "utf8")).toBe(text);
    }
  });

  it("puts the previous file back when the restart fails", async () => {
    // systemd's systemctl stands in as a command that fails (no systemd runs here)
    const config = configOf({ systemd: true, systemctl: "/bin/false" });
    const r = await run({ action: "add", hostname: "c.example.com", port: 82 }, config);
    expect(r.status).toBe("rolled_back");
    expect(r.error?.code).toBe("COMMAND_FAILED");
    expect(r.steps.map((s) => s.name)).toContain("restart cloudflared");
    expect(readFileSync(file, "utf8")).toBe(ORIGINAL);
  });

  it("never takes a hostname that could break out of its YAML scalar", () => {
    for (const hostname of [
      "a.com\n- service: x",
      "a.com: x",
      "a.com #x",
      "'a.com'",
      "*.a.com",
      "a..com",
      "x".repeat(254),
    ])
      expect(
        tunnelIngressInput.safeParse({ action: "add", hostname, port: 80 }).success,
        hostname,
      ).toBe(false);
    for (const port of [0, 65536, 1.5, "80; rm -rf /", -1])
      expect(tunnelIngressInput.safeParse({ action: "add", hostname: "a.com", port }).success).toBe(
        false,
      );
  });
});
