// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files' own ${VAR} syntax
// The real `steward` CLI as a child process: compose stacks and one-click apps. Nothing
// deploys here (no worker, no agent; the deploys on Podman are
// apps/server/src/modules/apps/compose-api.test.ts): what the CLI accepts, writes and prints,
// and refusals naming the flag (and the compose key) with nothing written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward app (compose)", () => {
  it("creates a stack from a file and a one-click app from the catalog; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "compose-1", "--agent-url", "https://127.0.0.1:1"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const { id: account } = await c.json<{ id: string }>([
      ...["account", "create", "--slug", "stacks", "--name", "Stacks"],
    ]);
    const file = (name: string, text: string) => {
      const path = join(c.dataDir, name);
      writeFileSync(path, text);
      return path;
    };
    const good = file(
      "good.yml",
      'services:\n  web:\n    image: localhost/steward-httpd:latest\n    environment: { TOKEN: "${TOKEN}" }\nvolumes:\n  data: {}\n',
    );
    const secrets = file("secrets.env", "TOKEN=s3cr3t\n");
    const base = ["app", "create", "--account", account, "--node", "compose-1"];
    const out = await c.ok([
      ...base,
      "--name",
      "shop",
      "--compose",
      good,
      "--secret-env-file",
      secrets,
    ]);
    expect(out).toMatch(/^app shop \(app_\w+\): web\ntask task_\w+ deploys it\n$/);
    const catalog = await c.ok(["app", "catalog"]);
    expect(catalog).toContain("static-site");
    expect(catalog).toContain("DB_PASSWORD, DB_ROOT_PASSWORD");
    const wp = await c.json<{ name: string; runtimeName: string; id: string; env: unknown[] }>([
      ...base,
      "--from",
      "wordpress",
    ]);
    expect(wp.name).toBe("wordpress");
    expect(wp.env).toContainEqual({ key: "DB_PASSWORD", value: null, secret: true });
    // the volumes are named by the app's runtime name (the name and six characters of its id)
    expect(wp.runtimeName).toBe(`wordpress-${wp.id.slice(-6)}`);
    expect(await c.fails(["app", "remove", wp.id], 2)).toContain(
      `keeps its volumes (${wp.runtimeName}_wordpress, ${wp.runtimeName}_db)`,
    );
    const count = () => (db.prepare("SELECT count(*) AS n FROM apps").get() as { n: number }).n;
    const plain = file(
      "plain.yml",
      "services:\n  web:\n    image: localhost/steward-httpd:latest\n",
    );
    const bad = file("bad.yml", "services:\n  web:\n    image: x\n    privileged: true\n");
    const bomb = file(
      "bomb.yml",
      [
        "a: &a [x, x, x, x, x, x, x, x, x]",
        ...Array.from({ length: 8 }, (_, i) => {
          const me = String.fromCharCode(98 + i);
          return `${me}: &${me} [${Array(9)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`;
        }),
        "services: { web: { image: x } }",
      ].join("\n"),
    );
    for (const [args, text] of [
      [["--compose", bad], "--compose: compose.services.web.privileged"],
      [["--compose", bomb], "--compose: compose: is refused"],
      [["--compose", join(c.dataDir, "missing.yml")], "--compose: cannot read"],
      [["--from", "no-such-app"], "--from: catalog"],
      [["--from", "../static-site"], "--from"],
      [
        ["--from", "static-site", "--compose", good],
        "--compose: give either --compose FILE or --from",
      ],
      [["--compose", good, "--name", "../x"], "--name"],
      [["--compose", plain, "--domain", "shop.test;reboot"], "--domain"],
      [
        ["--compose", plain, "--domain", "shop.test"],
        "--domain: needs a service that publishes a TCP port",
      ],
      [["--compose", plain, "--ingress-service", "web"], "--ingress-service: needs a domain"],
      [
        ["--compose", plain, "--domain", "shop.test", "--ingress-service", "web"],
        "--ingress-service: the service web must publish a TCP port",
      ],
      [[], "--image: give an image, --git URL, --compose FILE or --from"],
    ] as const)
      expect(await c.fails([...base, ...args], 2)).toContain(text);
    expect(count()).toBe(2);
    const listed = await c.json<{ items: { id: string; name: string }[] }>([
      ...["app", "list", "--account", account],
    ]);
    const shop = listed.items.find((a) => a.name === "shop")?.id ?? "";
    expect(await c.fails(["app", "compose", shop, "--compose", bad], 2)).toContain(
      "--compose: compose.services.web.privileged",
    );
    expect(await c.ok(["app", "compose", shop, "--compose", good])).toMatch(
      /^task task_\w+ deploys app shop\n$/,
    );
    // what compose files may ask of the node: super users, named allowances only
    expect(await c.ok(["node", "compose-allow", "compose-1"])).toBe("nothing beyond the sandbox\n");
    expect(await c.fails(["node", "compose-allow", "compose-1", "--set", "root"], 2)).toContain(
      "--set",
    );
    expect(await c.ok(["node", "compose-allow", "compose-1", "--set", "cap-add,devices"])).toBe(
      "cap-add, devices\n",
    );
    db.close();
  }, 240_000);
});
