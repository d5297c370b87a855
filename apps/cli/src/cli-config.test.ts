// The real `steward` CLI as a child process: `steward config` and the config file.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

interface Row {
  key: string;
  value?: unknown;
  from: string;
  env: string;
}
interface Listing {
  configFile: string;
  settings: Row[];
}

const row = (l: Listing, key: string) => l.settings.find((r) => r.key === key);

describe.concurrent("steward config", () => {
  it("set writes the config file (0600), get and list read it, the environment overrides it", async () => {
    const c = cliFor();
    const file = join(c.dataDir, "steward.json");
    expect(await c.json(["config", "set", "port", "9090"])).toEqual({
      key: "port",
      value: 9090,
      file,
    });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ port: 9090 });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const [get, list, human, fromEnv, listEnv] = await Promise.all([
      c.ok(["config", "get", "port"]),
      c.json<Listing>(["config", "list"]),
      c.ok(["config", "list"]),
      c.ok(["config", "get", "port"], { env: { STEWARD_PORT: "7000" } }),
      c.json<Listing>(["config", "list"], { env: { STEWARD_PORT: "7000" } }),
    ]);
    expect(get).toBe("9090\n");
    expect(list.configFile).toBe(file);
    expect(row(list, "port")).toEqual({
      key: "port",
      value: 9090,
      from: 'config file key "port"',
      env: "STEWARD_PORT",
    });
    expect(row(list, "listen")).toMatchObject({ value: "127.0.0.1", from: "default" });
    expect(human).toMatch(/^port\s+9090\s+config file key "port"\s+STEWARD_PORT$/m);
    expect(human).toContain(`config file: ${file}`);
    expect(fromEnv).toBe("7000\n");
    expect(row(listEnv, "port")).toMatchObject({ value: "7000", from: "STEWARD_PORT" });

    // Bad values and unknown keys name the setting and leave the file as it was.
    const before = readFileSync(file, "utf8");
    const [tooBig, unknown, shell, dataDir, notUrl] = await Promise.all([
      c.fails(["config", "set", "port", "99999"], 2),
      c.fails(["config", "set", "nope", "1"], 2),
      c.fails(["config", "set", "listen", "0.0.0.0; rm -rf /"], 2),
      c.fails(["config", "set", "dataDir", "/elsewhere"], 2),
      c.fails(["config", "set", "publicUrl", "javascript:alert(1)"], 2),
    ]);
    expect(tooBig).toBe("steward: port: must be between 1 and 65535");
    expect(unknown).toMatch(/^steward: <key>: unknown setting "nope"; one of .*\bport\b/);
    expect(shell).toMatch(/^steward: listen: /);
    expect(dataDir).toMatch(/^steward: dataDir: .*STEWARD_DATA_DIR/);
    expect(notUrl).toMatch(/^steward: publicUrl: /);
    expect(readFileSync(file, "utf8")).toBe(before);

    await c.ok(["config", "set", "logLevel", "warn"]);
    expect(await c.json(["config", "unset", "port"])).toEqual({ key: "port", value: null, file });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ logLevel: "warn" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await c.json(["config", "get", "port"])).toEqual({
      key: "port",
      value: 8080,
      from: "default",
    });
  }, 120_000);

  it("never prints secret settings", async () => {
    const c = cliFor();
    const masterKey = randomBytes(32).toString("base64");
    const password = "s3cret-db-password";
    await c.ok(["config", "set", "masterKey", masterKey]);
    const url = `postgres://steward:${password}@db.example.com:5432/steward`;
    const set = await c.ok(["config", "set", "databaseUrl", url]);
    const [list, listJson, get] = await Promise.all([
      c.ok(["config", "list"]),
      c.ok(["--json", "config", "list"]),
      c.ok(["config", "get", "masterKey"]),
    ]);
    for (const out of [set, list, listJson, get]) {
      expect(out).not.toContain(masterKey);
      expect(out).not.toContain(password);
    }
    expect(get).toBe("[set, hidden]\n");
    expect(JSON.parse(readFileSync(join(c.dataDir, "steward.json"), "utf8"))).toEqual({
      masterKey,
      databaseUrl: url,
    });
  });

  it("a bad config file stops commands with exit 2 naming the key", async () => {
    const c = cliFor();
    const file = join(c.dataDir, "steward.json");
    writeFileSync(file, JSON.stringify({ port: 99999 }), { mode: 0o600 });
    const [badPort, migrate] = await Promise.all([
      c.fails(["user", "list"], 2),
      c.fails(["db", "migrate"], 2),
    ]);
    expect(badPort).toBe(
      'steward: invalid setting config file key "port": must be between 1 and 65535',
    );
    expect(migrate).toBe(badPort);
    // The way out: unset it (config commands still work on a bad file).
    await c.ok(["config", "unset", "port"]);
    await c.ok(["user", "list"]);

    writeFileSync(file, "{ not json", { mode: 0o600 });
    expect(await c.fails(["user", "list"], 2)).toMatch(
      /^steward: config file .* is not valid JSON/,
    );
    writeFileSync(file, JSON.stringify({ portt: 1 }), { mode: 0o600 });
    expect(await c.fails(["config", "list"], 2)).toMatch(/unknown setting "portt"/);
    expect(existsSync(file)).toBe(true);
  });
});
