// Both walls refuse the same hostile values: the panel's validators (contracts) and the
// agent's second check right before a value becomes a file or an argv (escape.ts's alphabets,
// the site user check of system/users.ts, the agent's own configuration).

import { writableDir } from "@steward/contracts/agent";
import { BAD_DOMAIN_NAMES } from "@steward/contracts/testing";
import { domain, id, systemUser } from "@steward/contracts/validators";
import { describe, expect, it } from "vitest";
import { agentJson } from "../../config.ts";
import { checkUserName } from "../../system/users.ts";
import { dirRegex, safe } from "./escape.ts";

const INJECTION = ["' or 1=1--", '"; drop table sites;--', "$(id)", "`id`", "a;b", "a{b}"];
const CONTROL = ["a\nb", "a\r\nb", "a\u0000b", "a\u202Eb", "a\u2028b", "a\tb", "a b"];

/** Per kind of value: what each wall says about it (true: accepted). */
const walls = {
  domain: {
    panel: (s: string) => domain.safeParse(s).success,
    agent: (s: string) => passes(() => safe("domain", s)),
  },
  id: {
    panel: (s: string) => id.safeParse(s).success,
    agent: (s: string) => passes(() => safe("id", s)),
    agentConfig: (s: string) => agentJson.shape.nodeId.safeParse(s).success,
  },
  user: {
    panel: (s: string) => systemUser.safeParse(s).success,
    agent: (s: string) => passes(() => checkUserName(s)),
  },
  /** a writable directory: its header line and its nginx regex */
  dir: {
    panel: (s: string) => writableDir.safeParse(s).success,
    agent: (s: string) => passes(() => safe("dir", s)),
    regex: (s: string) => passes(() => dirRegex(s)),
  },
} as const;

function passes(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

const hostile: Record<keyof typeof walls, string[]> = {
  domain: [
    ...INJECTION.map((s) => `${s}.example.com`),
    ...CONTROL.map((s) => `${s}.example.com`),
    ...BAD_DOMAIN_NAMES,
  ],
  id: [...INJECTION, ...CONTROL, "../etc", "a/b", "a.b", "", "x".repeat(65), "é", "a\u200Fb"],
  user: [
    ...INJECTION,
    ...CONTROL,
    "_apt",
    "-rf",
    "1abc",
    "Root",
    "a:b",
    "../x",
    "",
    "x".repeat(33),
    "ünicode",
  ],
  dir: [
    ...INJECTION,
    ...CONTROL,
    "../etc",
    "a/../b",
    "./a",
    "a/.",
    "/etc",
    "a/",
    "a//b",
    "a\\b",
    "",
    ".",
    "x".repeat(201),
    "ünicode",
    "a(b)|c",
    "a*",
  ],
};

const fine: Record<keyof typeof walls, string[]> = {
  domain: ["example.com", "www.example.co.uk", "xn--bcher-kva.example", "a-b.example"],
  id: ["s1", "node_test1", "01HZY3-abc_DEF", "x".repeat(64)],
  user: ["s1abc", "www-data", "site_1", `a${"b".repeat(31)}`],
  dir: ["uploads", "wp-content/uploads", "sites/default/files", "cache/my.app", "x".repeat(200)],
};

describe("the agent's second check and the panel's validators", () => {
  it("escapes a writable directory's only regex metacharacter", () => {
    expect(dirRegex("cache/my.app")).toBe("cache/my\\.app");
  });

  for (const [kind, checks] of Object.entries(walls)) {
    it(`refuse the same hostile ${kind} values, and accept the same good ones`, () => {
      const values = [...hostile[kind as keyof typeof walls], ...fine[kind as keyof typeof walls]];
      const verdicts = values.map((value) => [
        value,
        Object.fromEntries(Object.entries(checks).map(([wall, check]) => [wall, check(value)])),
      ]);
      const expected = values.map((value) => [
        value,
        Object.fromEntries(
          Object.keys(checks).map((wall) => [
            wall,
            fine[kind as keyof typeof walls].includes(value),
          ]),
        ),
      ]);
      expect(verdicts).toEqual(expected);
    });
  }
});
