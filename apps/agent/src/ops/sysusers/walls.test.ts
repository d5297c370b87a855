// Both walls refuse the same hostile values for system users: the operation's contract (what
// the agent's route parses before anything runs) and the agent's own check right before a
// value becomes an argv or a line of sshd's or pure-ftpd's files; and what is rendered from
// valid values keeps each user to its own lines.
import { operations } from "@steward/contracts/agent";
import { BAD_HOME_PATHS, BAD_SSH_KEYS, BAD_SYS_USER_NAMES } from "@steward/contracts/testing";
import { describe, expect, it } from "vitest";
import { ftpLine, otherFtpLines, renderSshd, safePath } from "./render.ts";
import { checkName } from "./users.ts";

const HASH = `$6$saltsalt$${"a".repeat(86)}`;
const user = { name: "alice", shell: "sftp" as const, ftp: true, keys: [], passwordHash: HASH };
const input = (over: Record<string, unknown> = {}) => ({
  id: "acc_1",
  present: true,
  main: { ...user, name: "shop" },
  secondary: [{ ...user, home: "team/alice" }],
  remove: [],
  ...over,
});
const contract = operations["sysusers.apply"].input;
const refused = (value: unknown) => !contract.safeParse(value).success;

describe("sysusers.apply's walls", () => {
  it("the contract refuses hostile names, homes, keys and hashes anywhere in the input", () => {
    expect(refused(input())).toBe(false);
    for (const name of BAD_SYS_USER_NAMES) {
      expect(refused(input({ main: { ...user, name } })), name).toBe(true);
      expect(refused(input({ remove: [name] })), name).toBe(true);
    }
    for (const home of BAD_HOME_PATHS)
      expect(refused(input({ secondary: [{ ...user, home }] })), home).toBe(true);
    for (const key of BAD_SSH_KEYS)
      expect(refused(input({ secondary: [{ ...user, home: "x", keys: [key] }] })), key).toBe(true);
    for (const passwordHash of ["x", `${HASH}\nroot::0:0::/:/bin/sh`, `${HASH}:0:0`, "$1$a$b"])
      expect(refused(input({ main: { ...user, name: "shop", passwordHash } }))).toBe(true);
    expect(refused(input({ main: { ...user, name: "a".repeat(29) } }))).toBe(true);
  });

  it("the agent's own check refuses them again before any argv", () => {
    // (a CGI user's name is the agent's own: `<main>-cgi` passes, as below)
    for (const name of BAD_SYS_USER_NAMES.filter((n) => !n.endsWith("-cgi")))
      expect(() => checkName(name), name).toThrow();
    expect(() => checkName("shop-cgi")).not.toThrow();
    expect(() => checkName("root-cgi")).toThrow();
    expect(() => checkName(`${"a".repeat(29)}-cgi`)).toThrow();
    for (const path of ["/srv/with space", "/srv/a:b", "/srv/../etc", "relative", "/srv/a\nb"])
      expect(() => safePath(path, "hosting.homeRoot"), path).toThrow(/plain absolute path/);
  });

  it("renders one Match block per user and keeps other accounts' FTP lines", () => {
    const parsed = contract.parse(input());
    const text = renderSshd(parsed, { root: "/srv/steward/home/shop" }, "/etc/steward/ssh-keys");
    expect(text.match(/^Match /gm)).toEqual(["Match ", "Match ", "Match "]);
    expect(text).toContain("Match User alice\n    ChrootDirectory /srv/steward/home/shop\n");
    expect(text.trimEnd().endsWith("Match all")).toBe(true);
    const line = ftpLine(
      "shop",
      parsed.secondary[0] ?? user,
      { uid: 1001, gid: 1000 },
      "/srv/h/shop",
    );
    expect(line).toBe(
      `alice:${HASH}:1001:1000:steward/shop:/srv/h/shop/./home/team/alice::::::::::::`,
    );
    const other = line.replace("steward/shop", "steward/blog").replace("alice", "bob");
    expect(otherFtpLines(`${line}\n${other}\n`, "shop")).toEqual([other]);
  });
});
