// Git sources: the remotes Steward clones and the refs it checks out, and everything else
// refused with a reason (transports that run programs, local paths, options in disguise).
import { describe, expect, it } from "vitest";
import { BAD_GIT_REFS, BAD_GIT_URLS, BAD_REPO_PATHS } from "../testing/hostile.ts";
import { composeFilePath, gitRef, gitUrl, parseGitUrl, refProblem } from "./git.ts";
import { appGitCreate } from "./git-api.ts";

describe("git URLs", () => {
  it("takes https and ssh remotes apart", () => {
    expect(parseGitUrl("https://GitHub.com/acme/shop.git")).toEqual({
      kind: "https",
      host: "github.com",
      port: 443,
      user: null,
      path: "/acme/shop.git",
    });
    expect(parseGitUrl("https://127.0.0.1:8443/git/app.git")).toMatchObject({
      host: "127.0.0.1",
      port: 8443,
    });
    expect(parseGitUrl("git@github.com:acme/shop.git")).toEqual({
      kind: "ssh",
      host: "github.com",
      port: 22,
      user: "git",
      path: "acme/shop.git",
    });
    expect(parseGitUrl("ssh://deploy@git.example.com:2222/srv/shop.git")).toEqual({
      kind: "ssh",
      host: "git.example.com",
      port: 2222,
      user: "deploy",
      path: "/srv/shop.git",
    });
  });

  it.each(BAD_GIT_URLS)("refuses %j", (url) => {
    expect(gitUrl.safeParse(url).success).toBe(false);
  });

  it("says why", () => {
    expect(parseGitUrl("ext::sh -c id")).toContain("must not contain spaces");
    expect(parseGitUrl("ext::id")).toContain("ext:: and fd:: are refused");
    expect(parseGitUrl("file:///srv/x")).toContain("not a path on the node");
    expect(parseGitUrl("--upload-pack=id")).toContain("must not start with -");
    expect(parseGitUrl("https://u:p@example.com/x")).toContain("token in its own field");
  });
});

describe("git refs", () => {
  it.each(["main", "release/1.2", "v1.0.0", "feature/x-y_z", "a".repeat(40)])(
    "accepts %s",
    (ref) => {
      expect(refProblem(ref)).toBeNull();
    },
  );

  it.each(BAD_GIT_REFS)("refuses %j", (ref) => {
    expect(gitRef.safeParse(ref).success).toBe(false);
  });
});

describe("a compose file of the repository", () => {
  const base = { account: "acc_1", node: "nod_1", git: { url: "https://example.com/a.git" } };
  const fields = (body: unknown) =>
    appGitCreate.safeParse(body).error?.issues.map((i) => i.path.join(".")) ?? [];

  it.each(["docker-compose.yml", "deploy/compose.yaml", "a_b/c-d.yml"])("accepts %s", (p) => {
    expect(composeFilePath.safeParse(p).success).toBe(true);
  });

  it.each(BAD_REPO_PATHS)("refuses %j", (p) => {
    expect(composeFilePath.safeParse(p).success).toBe(false);
  });

  it("is a Dockerfile or a compose file, and the file says what runs", () => {
    const compose = { ...base.git, compose: "compose.yml" };
    expect(fields({ ...base, git: compose })).toEqual([]);
    expect(fields({ ...base, git: { ...compose, dockerfile: "Dockerfile" } })).toEqual([
      "git.compose",
    ]);
    expect(fields({ ...base, git: compose, ports: [{ container: 80 }] })).toEqual(["ports"]);
    expect(fields({ ...base, git: compose, healthCheck: { command: ["true"] } })).toEqual([
      "healthCheck",
    ]);
    expect(fields({ ...base, git: compose, ingressService: "web" })).toEqual(["ingressService"]);
    expect(
      fields({ ...base, git: compose, domain: "a.example.com", ingressService: "web" }),
    ).toEqual([]);
    expect(fields({ ...base, domain: "a.example.com", ingressService: "web" })).toEqual([
      "ingressService",
    ]);
  });
});
