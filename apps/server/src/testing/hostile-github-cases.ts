// The hostile values of hostile-input.test.ts for GitHub templates and sign in with GitHub
// (issue 16): App ids and keys that are not, OAuth client ids and secrets with spaces,
// newlines, quotes or 200+ characters, owner and repository names outside GitHub's rules
// (quotes, `;`, `..`, slashes, a `.git` suffix, leading hyphens, newlines, 100+ characters),
// mistyped flags, bad ids. None reaches GitHub: the contract refuses each first.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n";
const SECRET = "0123456789abcdef0123456789abcdef01234567";
const BAD_OWNERS = ["-acme", "acme-", "a--b", "x".repeat(40), "ac'me", "a/b", "a b", SQL[0]];
const BAD_REPOS = [".", "..", "a/b", "../x", "x.git", "x".repeat(101), "`id`", "a;b", SQL[1]];

export function githubCases(account: string): Case[] {
  const app = "/api/v1/github/app";
  const templates = "/api/v1/templates";
  const repos = "/api/v1/github/repositories";
  const generate = `${templates}/ghtpl_missing/generate`;
  const setApp = { appId: 1, privateKey: KEY };
  const add = { account, owner: "acme", repo: "starter" };
  const gen = { name: "shop" };
  const signIn = "/api/v1/github/sign-in";
  const setSignIn = { enabled: true, clientId: "Ov23liHostile", clientSecret: SECRET };
  return [
    ...bodyCases("PUT", app, setApp),
    ...fieldCases("PUT", app, setApp, "appId", [SQL[0], 0, -1, 2 ** 31, 1.5, null]),
    ...fieldCases("PUT", app, setApp, "privateKey", [
      SQL[0],
      ...CONTROL,
      `${KEY}; rm -rf /`,
      `x${KEY}`,
      LONG,
      null,
    ]),
    ...fieldCases("PUT", app, setApp, "defaultOwner", BAD_OWNERS),
    ...bodyCases("PUT", signIn, setSignIn),
    ...fieldCases("PUT", signIn, setSignIn, "enabled", ["true", 1, null]),
    ...fieldCases("PUT", signIn, setSignIn, "clientId", [
      "Ov23 li",
      "Ov23\nli",
      ...SQL,
      ...CONTROL,
      "`id`",
      "../x",
      "x".repeat(201),
      "",
      null,
    ]),
    ...fieldCases("PUT", signIn, setSignIn, "clientSecret", [
      `${SECRET}\n`,
      `${SECRET};rm`,
      `${SECRET} --`,
      ...CONTROL.map((c) => `${SECRET}${c}`),
      "short",
      LONG,
      null,
    ]),
    ...bodyCases("POST", templates, add),
    ...fieldCases("POST", templates, add, "account", [SQL[0], "../x", null]),
    ...fieldCases("POST", templates, add, "owner", BAD_OWNERS),
    ...fieldCases("POST", templates, add, "repo", [...BAD_REPOS, ...CONTROL]),
    ...fieldCases("POST", templates, add, "description", [CONTROL[0], "x".repeat(301)]),
    ["GET", templates, undefined, 400, V, "querystring.account"],
    ["GET", `${templates}?account=${enc(SQL[0])}`, undefined, 400, V, "querystring.account"],
    ...bodyCases("PATCH", `${templates}/ghtpl_missing`, { description: "x" }),
    ...fieldCases("PATCH", `${templates}/ghtpl_missing`, {}, "owner", BAD_OWNERS),
    ...fieldCases("PATCH", `${templates}/ghtpl_missing`, {}, "repo", [...BAD_REPOS, ...CONTROL]),
    ...fieldCases("PATCH", `${templates}/ghtpl_missing`, {}, "description", [
      CONTROL[0],
      "x".repeat(301),
    ]),
    ...bodyCases("POST", generate, gen),
    ...fieldCases("POST", generate, gen, "name", [...BAD_REPOS, ...CONTROL, "", null]),
    ...fieldCases("POST", generate, gen, "owner", BAD_OWNERS),
    ...fieldCases("POST", generate, gen, "private", ["yes", 1]),
    ...fieldCases("POST", generate, gen, "includeAllBranches", ["true"]),
    ...fieldCases("POST", generate, gen, "description", [CONTROL[1], "x".repeat(351)]),
    ["GET", repos, undefined, 400, V, "querystring.account"],
    ["GET", `${repos}?account=${enc(SQL[1])}`, undefined, 400, V, "querystring.account"],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `${templates}/${id}`, undefined, 400, V, "params.id"],
      ["DELETE", `${templates}/${id}`, undefined, 400, V, "params.id"],
      ["PATCH", `${templates}/${id}`, { description: "x" }, 400, V, "params.id"],
      ["POST", `${templates}/${id}/generate`, gen, 400, V, "params.id"],
      ["GET", `${repos}/${id}`, undefined, 400, V, "params.id"],
    ]),
    ["GET", `${templates}/ghtpl_missing`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${templates}/ghtpl_missing`, undefined, 404, "NOT_FOUND", ""],
    ["PATCH", `${templates}/ghtpl_missing`, { description: "x" }, 404, "NOT_FOUND", ""],
    ["POST", generate, gen, 404, "NOT_FOUND", ""],
    ["GET", `${repos}/ghrepo_missing`, undefined, 404, "NOT_FOUND", ""],
  ];
}
