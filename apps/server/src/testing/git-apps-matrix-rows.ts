// The access matrix's rows for apps built from git (issue 16), spread into
// http/access-matrix.test.ts: an account's admins create them and read their webhook's
// secret; the webhook itself is public (its signature is the credential) and asserted in
// modules/apps/git-apps.test.ts. The remote is a public address literal: no resolver asked.
import { appGitCreate } from "@steward/contracts/apps";
import { A_ADMIN, nodeOf, type Row } from "./apps-matrix-rows.ts";
import type { World } from "./fixtures.ts";

const fromGit = (account: string, node: string) => ({
  account,
  node,
  git: { url: "https://93.184.216.34/acme/shop.git", ref: "main", token: "ghp_matrix" },
  ports: [{ container: 8080 }],
});

/** a git app of account A (its deploy task waits: the matrix runs no worker) */
async function gitAppOnA(w: World) {
  const node = await nodeOf(w);
  return (await w.s.svc.gitApps.create(w.s.cli, appGitCreate.parse(fromGit(w.a, node)))).id;
}

export const GIT_APP_ROWS: Record<string, Row> = {
  "POST /api/v1/apps/git": {
    expect: A_ADMIN(201),
    call: async (w) => ({ path: "/api/v1/apps/git", body: fromGit(w.a, await nodeOf(w)) }),
  },
  "GET /api/v1/apps/:id/webhook": {
    expect: A_ADMIN(200),
    call: async (w) => ({ path: `/api/v1/apps/${await gitAppOnA(w)}/webhook` }),
  },
};
