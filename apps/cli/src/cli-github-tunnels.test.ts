// The real `steward` CLI as a child process: `steward github` against the strict GitHub fake
// (the App's key from standard input, a template added once GitHub confirms it, a generation
// queued as a task), and hostile values for `steward github` and `steward tunnel`: each refused
// with one line naming the option, before anything opens.
import { generateKeyPairSync } from "node:crypto";
import { startGithubFake } from "@steward/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
const github = await startGithubFake({
  appId: 5150,
  publicKey: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
  installations: [{ id: 3, account: "acme", type: "Organization", repositories: "all" }],
  repos: [
    { owner: "acme", name: "starter", template: true },
    { owner: "acme", name: "blog", template: true, defaultBranch: "trunk" },
  ],
});
afterAll(async () => {
  await github.stop();
  removeDataDirs();
});

describe("steward github and steward tunnel", () => {
  it("sets the App from standard input, adds a template GitHub confirms, queues a generation", async () => {
    const c = cliFor(undefined, {
      STEWARD_GITHUB_API: github.base,
      STEWARD_OUTBOUND_ALLOW: "127.0.0.1/32",
    });
    const set = await c.json<{ appId: number; keyFingerprint: string }>(
      ["github", "app", "set", "--app-id", "5150", "--default-owner", "acme"],
      { input: PRIVATE },
    );
    expect(set.appId).toBe(5150);
    expect(await c.ok(["github", "app", "test"])).toBe(
      "GitHub knows the App as steward-test (Steward Test), owned by acme\n",
    );
    const account = await c.json<{ id: string }>([
      "account",
      "create",
      "--slug",
      "acme",
      "--name",
      "Acme",
    ]);
    const added = await c.json<{ id: string; defaultBranch: string }>([
      ...["github", "template", "add", "acme/starter", "--account", "acme"],
    ]);
    expect(added.defaultBranch).toBe("main");
    const listed = await c.ok(["github", "template", "list", "--account", "acme"]);
    expect(listed).toMatch(/acme\/starter\s+main/);
    expect(await c.ok(["github", "app", "installations"])).toMatch(
      /3\s+acme\s+Organization\s+all\s+true/,
    );
    expect(
      await c.ok([
        "github",
        "template",
        "edit",
        added.id,
        "--repo",
        "acme/blog",
        "--description",
        "Blog",
      ]),
    ).toBe(`template ${added.id}: acme/blog (trunk)\n`);
    expect(await c.fails(["github", "template", "edit", added.id], 2)).toMatch(
      /^steward: --repo or --description: must change something/,
    );
    const made = await c.json<{ status: string; taskId: string; accountId: string }>([
      ...["github", "template", "generate", added.id, "--name", "shop"],
    ]);
    expect(made).toMatchObject({ status: "generating", accountId: account.id });
    expect(made.taskId).toMatch(/^task_/);
    expect(await c.ok(["github", "repo", "list", "--account", "acme"])).toMatch(
      /acme\/shop\s+generating/,
    );
    expect(
      await c.fails(["github", "app", "set", "--app-id", "5150"], 2, { input: "not a key" }),
    ).toMatch(/^steward: <stdin>: must be the App's private key/);
  }, 180_000);

  it("refuses hostile names, hostnames and ports naming the option", async () => {
    const c = cliFor();
    const cases: [string[], RegExp][] = [
      [["github", "template", "generate", "ghtpl_x", "--name", "a;b"], /^steward: --name: /],
      [["github", "template", "generate", "ghtpl_x", "--name", ".."], /^steward: --name: /],
      [
        ["github", "template", "generate", "ghtpl_x", "--name", "ok", "--owner", "-x"],
        /^steward: --owner: /,
      ],
      [["github", "template", "generate", "ghtpl_x", "--name", "x.git"], /^steward: --name: /],
      [["github", "template", "edit", "ghtpl_x", "--repo", "acme/../x"], /^steward: --repo: /],
      [["github", "template", "edit", "ghtpl_x", "--repo", "ac'me/x"], /^steward: --repo: /],
      [
        ["github", "template", "edit", "ghtpl_x", "--description", "a\nb"],
        /^steward: --description: /,
      ],
      [
        ["tunnel", "route", "add", "tun_x", "--hostname", "a.com\n- service: x", "--port", "80"],
        /^steward: --hostname: /,
      ],
      [
        ["tunnel", "route", "add", "tun_x", "--hostname", "a.com", "--port", "0"],
        /^steward: --port: /,
      ],
      [
        ["tunnel", "route", "add", "tun_x", "--hostname", "a.com", "--port", "80; rm"],
        /^steward: --port: /,
      ],
      [
        ["tunnel", "route", "add", "tun x", "--hostname", "a.com", "--port", "80"],
        /^steward: <tunnel>: /,
      ],
    ];
    for (const [argv, says] of cases) expect(await c.fails(argv, 2)).toMatch(says);
  }, 120_000);
});
