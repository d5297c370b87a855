// The hostile values of hostile-input.test.ts for apps built from git (issue 16): URLs with
// git's transport helpers (ext::, fd::), file:// and local paths, option injection
// (--upload-pack=, -oProxyCommand), user info, quotes, backticks, `;`, newlines and NUL;
// refs starting with `-`, with `..`, `@{` or control characters; tokens with spaces; Dockerfile
// and compose file paths leaving the repository (`..`, absolute, a leading `-`, NUL); both a
// Dockerfile and a compose file; a compose stack given ports; site services that are no
// service names; domains that are no host names. Each is refused by the
// contract, naming the field, before anything is written or sent to a node.
import {
  BAD_DOMAIN_NAMES,
  BAD_GIT_REFS,
  BAD_GIT_URLS,
  BAD_REPO_PATHS,
} from "@steward/contracts/testing";
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, V } from "./hostile-cases.ts";

export function gitAppCases(account: string, node: string): Case[] {
  const path = "/api/v1/apps/git";
  const git = { url: "https://git.example.com/acme/shop.git", ref: "main" };
  const add = { account, node, git, ports: [{ container: 8080 }] };
  const inGit = (field: string, values: unknown[]): Case[] =>
    values.map((v) => [
      "POST",
      path,
      { ...add, git: { ...git, [field]: v } },
      400,
      V,
      `body.git.${field}`,
    ]);
  return [
    ...bodyCases("POST", path, add),
    ...inGit("url", [...BAD_GIT_URLS, ...SQL, null, 42]),
    ...inGit("ref", [...BAD_GIT_REFS, null]),
    ...inGit("token", ["a token", "tok\nen", "tok\u0000en", "x".repeat(501), ""]),
    ...inGit("dockerfile", ["../Dockerfile", "/etc/passwd", "a/../../b", "-f", ...CONTROL, LONG]),
    ...[...BAD_REPO_PATHS, ...CONTROL, LONG, null, 42].map(
      (compose): Case => [
        "POST",
        path,
        { account, node, git: { ...git, compose } },
        400,
        V,
        "body.git.compose",
      ],
    ),
    [
      "POST",
      path,
      { account, node, git: { ...git, compose: "compose.yml", dockerfile: "Dockerfile" } },
      400,
      V,
      "body.git.compose",
    ],
    ["POST", path, { ...add, git: { ...git, compose: "compose.yml" } }, 400, V, "body.ports"],
    ...["a;b", "../web", "", "web`id`", LONG, ...SQL].map(
      (ingressService): Case => [
        "POST",
        path,
        {
          account,
          node,
          git: { ...git, compose: "compose.yml" },
          domain: "shop.example.com",
          ingressService,
        },
        400,
        V,
        "body.ingressService",
      ],
    ),
    ["POST", path, { ...add, git: { ...git, surprise: 1 } }, 400, V, "body.git.surprise"],
    ...BAD_DOMAIN_NAMES.filter((d) => d !== "localhost" && d !== "127.0.0.1").map(
      (domain): Case => ["POST", path, { ...add, domain }, 400, V, "body.domain"],
    ),
    ["POST", path, { ...add, name: "../x" }, 400, V, "body.name"],
    ["POST", path, { ...add, image: "busybox" }, 400, V, "body.image"],
    ...badIds
      .slice(0, 2)
      .map((id): Case => ["GET", `/api/v1/apps/${id}/webhook`, undefined, 400, V, "params.id"]),
    ["GET", "/api/v1/apps/app_missing/webhook", undefined, 404, "NOT_FOUND", ""],
  ];
}
