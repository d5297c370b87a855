// The real `steward` CLI as a child process: apps built from git. Nothing deploys here (no
// worker, no agent; the end-to-end git deploy is apps/server/src/modules/apps/git-apps.test.ts):
// what `app create --git` accepts and prints (the webhook's address and secret, the deploy key
// of an ssh remote), the token read from a file and never printed, `app webhook show`,
// `app redeploy`, a compose stack from the repository (--compose-file), and hostile URLs,
// refs, Dockerfile and compose file paths and domains refused naming the flag with nothing
// written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { BAD_GIT_REFS, BAD_GIT_URLS } from "@steward/contracts/testing";
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

describe("steward app (git)", () => {
  it("creates from a repository, shows the webhook, redeploys; refusals name the flag", async () => {
    const c = cliFor();
    await c.json(["node", "add", "--name", "git-1", "--agent-url", "https://127.0.0.1:1"]);
    const db = new DatabaseSync(join(c.dataDir, "steward.db"));
    db.prepare("UPDATE nodes SET state = 'trusted'").run();
    const { id: account } = await c.json<{ id: string }>([
      ...["account", "create", "--slug", "gitapps", "--name", "Git apps"],
    ]);
    const tokenFile = join(c.dataDir, "token");
    writeFileSync(tokenFile, "ghp_cli_token_1234\n");
    const base = ["app", "create", "--account", account, "--node", "git-1", "--port", "8080"];
    const created = await c.run([
      ...base,
      ...["--git", "https://93.184.216.34/acme/shop.git", "--ref", "release/1.0"],
      ...["--token-file", tokenFile, "--domain", "shop.example.com"],
    ]);
    expect(created.code, created.stderr).toBe(0);
    const out = created.stdout;
    expect(out).toMatch(/^app shop \(app_\w+\)\ntask task_\w+ deploys it\n$/);
    expect(created.stderr).toMatch(/^webhook: \S+\/webhook\nwebhook secret .*: [0-9a-f]{64}\n$/);
    expect(created.stderr + out).not.toContain("ghp_cli_token");
    const id = /\((app_\w+)\)/.exec(out)?.[1] ?? "";
    const shown = await c.json<{ source: string; git: { ref: string; auth: string } }>([
      ...["app", "show", id],
    ]);
    expect(shown).toMatchObject({ source: "git", git: { ref: "release/1.0", auth: "token" } });
    expect(JSON.stringify(shown)).not.toContain("ghp_cli_token");
    const hook = await c.ok(["app", "webhook", "show", id]);
    expect(hook).toMatch(/^url: \S+\/api\/v1\/apps\/app_\w+\/webhook\nsecret: [0-9a-f]{64}\n/);
    expect(await c.ok(["app", "redeploy", id])).toMatch(/^task task_\w+ redeploys app shop\n$/);
    const ssh = await c.json<{ git: { publicKey: string }; webhook: { secret: string } }>([
      ...base,
      ...["--git", "git@93.184.216.34:acme/api.git"],
    ]);
    expect(ssh.git.publicKey).toMatch(/^ssh-ed25519 /);
    expect(ssh.webhook.secret).toMatch(/^[0-9a-f]{64}$/);
    const stack = await c.json<{ source: string; git: { compose: string; dockerfile: null } }>([
      ...["app", "create", "--account", account, "--node", "git-1"],
      ...["--git", "https://93.184.216.34/acme/stack.git", "--compose-file", "deploy/compose.yml"],
      ...["--domain", "stack.example.com", "--ingress-service", "web"],
    ]);
    expect(stack).toMatchObject({
      source: "git",
      git: { compose: "deploy/compose.yml", dockerfile: null },
    });
    const count = () => (db.prepare("SELECT count(*) AS n FROM apps").get() as { n: number }).n;
    const git = (url: string) => ["--git", url];
    // a sample through the CLI (every hostile value is sent through the API and the contract)
    const picked = (list: string[], want: string[]) => list.filter((x) => want.includes(x));
    const urls = picked(BAD_GIT_URLS, [
      "ext::sh -c touch% /tmp/pwned",
      "file:///etc",
      "/srv/repo.git",
      "ssh://-oProxyCommand=id/x",
      "https://user:token@example.com/org/repo.git",
      "https://example.com/org/repo.git\n--upload-pack=id",
    ]);
    const refs = picked(BAD_GIT_REFS, ["main..dev", "main@{1}", "ma in", "main\nother"]);
    const cases: [string[], string, 1 | 2][] = [
      ...urls.map((u): [string[], string, 2] => [git(u), "--git", 2]),
      ...refs.map((r): [string[], string, 2] => [
        [...git("https://93.184.216.34/a.git"), "--ref", r],
        "--ref",
        2,
      ]),
      [[...git("https://93.184.216.34/a.git"), "--dockerfile", "../Dockerfile"], "--dockerfile", 2],
      [[...git("https://93.184.216.34/a.git"), "--domain", "a b.example"], "--domain", 2],
      ...["../compose.yml", "/etc/compose.yml", "-x", "c.yml;id", "a`id`.yml"].map(
        (p): [string[], string, 2] => [
          [...git("https://93.184.216.34/a.git"), `--compose-file=${p}`],
          "--compose-file",
          2,
        ],
      ),
      [
        [...git("https://93.184.216.34/a.git"), "--compose-file", "c.yml", "--dockerfile", "D"],
        "--compose-file",
        2,
      ],
      [["--compose-file", "c.yml"], "--compose-file", 2],
      [
        [...git("https://93.184.216.34/a.git"), "--token-file", "/nonexistent/x"],
        "--token-file",
        2,
      ],
      [[...git("https://93.184.216.34/a.git"), "--image", "busybox"], "--git", 2],
      [[...git("https://127.0.0.1/a.git")], "git.url: 127.0.0.1 is a loopback address", 1],
      [[...git("git@93.184.216.34:a.git"), "--token-file", tokenFile], "git.token", 1],
    ];
    expect(urls.length + refs.length).toBe(10);
    for (const [args, flag, code] of cases) {
      const err = await c.fails([...base, ...args], code);
      expect(err, args.join(" ")).toContain(flag);
    }
    expect(count()).toBe(3);
    expect(await c.fails(["app", "webhook", "show", "x'; --"], 2)).toContain("<id>");
    db.close();
  }, 300_000);
});
