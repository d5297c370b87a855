// The real `steward` CLI as a child process: `steward github sign-in` sets the OAuth App (the
// client secret from standard input, never an argument, never printed back), turns it off
// keeping the secret, and refuses hostile values naming the option before anything changes.
import { afterAll, describe, expect, it } from "vitest";
import { cliFor, removeDataDirs } from "./testing/cli.ts";

afterAll(() => removeDataDirs());

const SECRET = "0123456789abcdef0123456789abcdef01234567";

describe("steward github sign-in", () => {
  it("sets it from standard input, shows it without the secret, and refuses hostile values", async () => {
    const c = cliFor();
    expect(await c.ok(["github", "sign-in", "show"])).toMatch(/^sign in with GitHub is off\n/);
    const set = await c.ok(
      ["github", "sign-in", "set", "--client-id", "Ov23liCli", "--enable", "--secret"],
      { input: `${SECRET}\n` },
    );
    expect(set).toMatch(/^sign in with GitHub is on \(client id Ov23liCli, secret set\)\n/);
    expect(set).toMatch(/authorization callback URL: http.*\/api\/auth\/callback\/github\n$/);
    expect(set).not.toContain(SECRET);
    const off = await c.json<{ enabled: boolean; secretSet: boolean }>([
      ...["github", "sign-in", "set", "--client-id", "Ov23liCli", "--disable"],
    ]);
    expect(off).toMatchObject({ enabled: false, secretSet: true });
    expect(JSON.stringify(off)).not.toContain(SECRET);
    const cases: [string[], string | undefined, RegExp][] = [
      [["--client-id", "Ov23 li", "--enable"], undefined, /^steward: --client-id: /],
      [["--client-id", "a\nb", "--enable"], undefined, /^steward: --client-id: /],
      [["--client-id", "a';--", "--enable"], undefined, /^steward: --client-id: /],
      [["--client-id", "x".repeat(201), "--enable"], undefined, /^steward: --client-id: /],
      [["--client-id", "Ov23li"], undefined, /^steward: --enable, --disable: /],
      [["--client-id", "Ov23li", "--enable", "--secret"], "short", /^steward: --secret /],
      [
        ["--client-id", "Ov23li", "--enable", "--secret"],
        `${SECRET};rm -rf`,
        /^steward: --secret /,
      ],
    ];
    for (const [args, input, says] of cases)
      expect(
        await c.fails(["github", "sign-in", "set", ...args], 2, input ? { input } : {}),
      ).toMatch(says);
    expect(await c.ok(["github", "sign-in", "show"])).toMatch(
      /^sign in with GitHub is off \(client id Ov23liCli, secret set\)\n/,
    );
  }, 300_000);
});
