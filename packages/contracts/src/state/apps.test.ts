// App files of a git source: a Dockerfile or a compose file of the repository, not both, its
// path refused when it leaves the repository.
import { describe, expect, it } from "vitest";
import { BAD_REPO_PATHS } from "../testing/hostile.ts";
import { appFile } from "./apps.ts";

const file = (git: Record<string, unknown>) => ({
  source: "git",
  name: "stack",
  account: "shop",
  node: "web-1",
  git: { url: "https://example.com/acme/stack.git", ref: "main", ...git },
});
const fields = (git: Record<string, unknown>) =>
  appFile.safeParse(file(git)).error?.issues.map((i) => i.path.join(".")) ?? [];

describe("a git app's file", () => {
  it("names a Dockerfile or a compose file of the repository", () => {
    expect(fields({ dockerfile: "Dockerfile" })).toEqual([]);
    expect(fields({ compose: "deploy/compose.yml" })).toEqual([]);
    expect(fields({ dockerfile: "Dockerfile", compose: "compose.yml" })).toEqual(["git.compose"]);
  });

  it.each(BAD_REPO_PATHS)("refuses the compose path %j", (compose) => {
    expect(fields({ compose })).toContain("git.compose");
  });
});
