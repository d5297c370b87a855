// The real `steward` CLI as a child process, fed hostile values: each is refused with one
// line naming the option, and nothing changes in the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cli, cliFor, PASSWORD, removeDataDirs } from "./testing/cli.ts";

afterAll(removeDataDirs);

const long = "n".repeat(10_000);
const sqlSlug = "acme'; drop table accounts;--";

/** [what, argv, exit code, what the message must start with after "steward: ", stdin] */
type Case = [string, string[], 1 | 2, string, string?];

const create = (email: string, ...rest: string[]) => [
  "user",
  "create",
  "--email",
  email,
  "--password",
  PASSWORD,
  ...rest,
];
const account = (slug: string, name = "Acme") => [
  "account",
  "create",
  "--slug",
  slug,
  "--name",
  name,
];

const cases: Case[] = [
  ["email with a newline", create("a\n@example.com"), 2, "--email: "],
  ["email with a header", create("a@example.com\nBcc: b@example.com"), 2, "--email: "],
  ["email with a CR", create("a\r@example.com"), 2, "--email: "],
  ["email with ESC", create("a\u001b[2J@example.com"), 2, "--email: "],
  ["email with SQL", create("x' or 1=1--@example.com"), 2, "--email: "],
  ["email of 300 chars", create(`${"a".repeat(290)}@example.com`), 2, "--email: "],
  ["email that is a path", create("../../etc/passwd"), 2, "--email: "],
  ["10k-char user name", create("n@example.com", "--name", long), 2, "--name: "],
  ["user name with a newline", create("n@example.com", "--name", "a\nb"), 2, "--name: "],
  [
    "password with NUL on stdin",
    ["user", "create", "--email", "nul@example.com"],
    2,
    "--password: ",
    "a long password\u0000 with NUL",
  ],
  ["slug ../", account("../etc"), 2, "--slug: "],
  ["slug with ;", account("a;b"), 2, "--slug: "],
  ["slug with a space", account("a b"), 2, "--slug: "],
  ["slug uppercase", account("ACME"), 2, "--slug: "],
  ["slug with SQL", account(sqlSlug), 2, "--slug: "],
  ["slug with a slash", account("acme/x"), 2, "--slug: "],
  ["slug starting with -", account("-acme"), 2, "--slug: "],
  ["slug of 64 chars", account("a".repeat(64)), 2, "--slug: "],
  ["slug with a newline", account("acme\nx"), 2, "--slug: "],
  ["10k-char account name", account("acme", long), 2, "--name: "],
  ["account name with ESC", account("acme", "Acme\u001b[31m"), 2, "--name: "],
  ["empty account name", account("acme", "   "), 2, "--name: "],
  ["group name ../", ["group", "create", "../x"], 2, "<name>: "],
  ["group name with SQL", ["group", "create", "x' or '1'='1"], 2, "<name>: "],
  [
    "group description 10k",
    ["group", "create", "ops", "--description", long],
    2,
    "--description: ",
  ],
  ["user list --q 10k", ["user", "list", "--q", long], 2, "--q: "],
  ["user list --limit 0", ["user", "list", "--limit", "0"], 2, "--limit: "],
  ["user list --limit abc", ["user", "list", "--limit", "abc"], 2, "--limit: "],
  ["account list --limit 1e9", ["account", "list", "--limit", "1000000000"], 2, "--limit: "],
  ["user list --cursor ../", ["user", "list", "--cursor", "../x"], 2, "--cursor: "],
  ["site list --sort SQL", ["site", "list", "--sort", "name' --"], 2, "--sort: must be one of"],
  ["node list --sort --name", ["node", "list", "--sort=--name"], 2, "--sort: "],
  ["account list --sort id", ["account", "list", "--sort", "id"], 2, "--sort: "],
  ["group list --sort 10k", ["group", "list", "--sort", long], 2, "--sort: "],
  ["user list --sort name,id", ["user", "list", "--sort", "name,id"], 2, "--sort: "],
  [
    "account list: another sort's cursor",
    [
      "account",
      "list",
      "--sort",
      "name",
      "--cursor",
      Buffer.from('["createdAt","a","acc_1"]').toString("base64url"),
    ],
    1,
    "querystring.cursor: must be a cursor returned by a previous page",
  ],
  ["audit --action SQL", ["audit", "list", "--action", "x' or 1=1--"], 2, "--action: "],
  ["audit --outcome", ["audit", "list", "--outcome", "maybe"], 2, "--outcome: "],
  ["audit --to", ["audit", "list", "--to", "1 or 1=1"], 2, "--to: "],
  ["audit --account", ["audit", "list", "--account", "../x"], 2, "--account: "],
  ["disable ../", ["user", "disable", "../../x"], 2, "--user: "],
  ["passwd SQL", ["user", "passwd", "x' or 1=1--", "--password", PASSWORD], 2, "--user: "],
  [
    "grant --resource ../",
    ["grant", "set", "--user", "a@example.com", "--resource", "../../etc", "--role", "read"],
    2,
    "--resource: ",
  ],
  [
    "grant --resource without a type",
    ["grant", "set", "--user", "a@example.com", "--resource", "abc", "--role", "read"],
    2,
    "--resource: must be <type>:<id>",
  ],
  [
    "grant --role SQL",
    ["grant", "set", "--user", "a@example.com", "--global", "--role", "admin' --"],
    2,
    "--role: ",
  ],
  [
    "apikey --name 10k",
    ["apikey", "create", "--user", "a@example.com", "--name", long],
    2,
    "--name: ",
  ],
  [
    "apikey --scopes SQL",
    ["apikey", "create", "--user", "a@example.com", "--scopes", "*,x' or 1=1"],
    2,
    "--scopes: ",
  ],
  [
    "apikey --expires-days abc",
    ["apikey", "create", "--user", "a@example.com", "--expires-days", "abc"],
    2,
    "--expires-days: must be a number of days",
  ],
  [
    "apikey --expires-days 1.5",
    ["apikey", "create", "--user", "a@example.com", "--expires-days", "1.5"],
    2,
    "--expires-days: must be a whole number of days",
  ],
  ["show ../", ["account", "show", "../etc"], 1, "account ../etc not found"],
  // Values echoed in a message cannot move the cursor, recolour or clear the terminal.
  [
    "show with CR and ESC",
    ["account", "show", "ab\rX\u001b[2J"],
    1,
    "account ab\\x0dX\\x1b[2J not found",
  ],
  [
    "disable with CR",
    ["user", "disable", "x\r@example.com"],
    1,
    "user x\\x0d@example.com not found",
  ],
  // a system user's disk quota: whole MiB only, checked before anything is looked up
  ...["-1", "1.5", "1; rm -rf /", "0 0 0 0 /", "1e400", long].map(
    (bad): Case => [
      `quota ${bad.slice(0, 12)}`,
      ["user-sys", "set", "sysu_x", "--quota-mb", bad],
      2,
      "--quota-mb: ",
    ],
  ),
  ["show 10k", ["account", "show", long], 1, "account nnnnnnnnnn"],
  ["delete SQL", ["account", "delete", sqlSlug, "--yes"], 1, `account ${sqlSlug} not found`],
];

/** Everything a hostile command could have changed, as the CLI shows it. */
const snapshot = (c: Cli) =>
  c.snapshot([
    ["user", "list"],
    ["account", "list"],
    ["group", "list"],
    ["grant", "list"],
    ["audit", "list", "--limit", "200"],
  ]);

describe("steward with hostile input", () => {
  const c = cliFor();
  let before: unknown[];
  beforeAll(async () => {
    await c.ok(create("a@example.com", "--super"));
    await c.ok(account("kept", "Kept"));
    before = await snapshot(c);
  }, 120_000);

  it.concurrent.each(cases)("refuses %s", async (_what, args, code, message, input) => {
    const line = await c.fails(args, code, input === undefined ? {} : { input });
    expect(line.startsWith(`steward: ${message}`), line).toBe(true);
    expect(line.length, "a message short enough to read").toBeLessThanOrEqual(520);
    const control = [...line].filter((ch) => {
      const n = ch.charCodeAt(0);
      return n < 0x20 || (n >= 0x7f && n <= 0x9f);
    });
    expect(control, "no control characters reach the terminal").toEqual([]);
  });

  it("changed nothing", async () => {
    expect(await snapshot(c)).toEqual(before);
  }, 120_000);
});
