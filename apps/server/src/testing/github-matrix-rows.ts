// The access matrix's rows for GitHub templates and sign in with GitHub (issue 16), spread
// into http/access-matrix.test.ts: the App, the OAuth App signing in and the catalog are
// super users'; an account's readers read its templates and repositories, its admins
// generate. GitHub is the strict fake (one per run, on loopback, which this server's outbound
// policy is told to allow).
import { generateKeyPairSync } from "node:crypto";
import { type GithubFake, startGithubFake } from "@steward/testkit";
import { afterAll } from "vitest";
import type { ActorName, World } from "./fixtures.ts";

type Statuses = [number, number, number, number, number, number, number];
interface Row {
  expect: Statuses;
  call(
    w: World,
    who: ActorName,
  ): Promise<{ path: string; body?: unknown; cleanup?: () => Promise<unknown> }>;
}

const SUPER_ONLY = (ok: number): Statuses => [ok, 403, 403, 403, 403, 403, 403];
const A_READ: Statuses = [200, 200, 200, 200, 404, 404, 200];
const A_ADMIN = (ok: number): Statuses => [ok, ok, 403, 403, 404, 404, 403];

const APP_ID = 99;
const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PRIVATE = pair.privateKey.export({ format: "pem", type: "pkcs1" }).toString();
const TEMPLATES = 80;
let github: GithubFake | null = null;
let next = 0;
afterAll(() => github?.stop());

/** this server's GitHub is the fake, and its App is set */
async function useGithub(w: World) {
  github ??= await startGithubFake({
    appId: APP_ID,
    publicKey: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
    installations: [{ id: 1, account: "acme", type: "Organization", repositories: "all" }],
    repos: Array.from({ length: TEMPLATES }, (_, i) => ({
      owner: "acme",
      name: `tpl-${i}`,
      template: true,
    })),
  });
  const settings = w.s.svc.settings;
  Object.assign(settings, {
    githubApi: github.base,
    outboundAllow: [...new Set([...settings.outboundAllow, "127.0.0.1/32"])],
  });
  if (!(await w.s.svc.github.getApp(w.s.cli)).configured)
    await w.s.svc.github.setApp(w.s.cli, { appId: APP_ID, privateKey: PRIVATE });
}
const freshRepo = () => `tpl-${next++ % TEMPLATES}`;
const templateOnA = async (w: World) => {
  await useGithub(w);
  const body = { account: w.a, owner: "acme", repo: freshRepo() };
  return (await w.s.svc.github.createTemplate(w.s.cli, body)).id;
};
/** the template, removed after the call whatever happened (the catalog stays small) */
const withTemplate = async (w: World, path: (id: string) => string, body?: unknown) => {
  const id = await templateOnA(w);
  return {
    path: path(id),
    body,
    cleanup: () => w.s.svc.github.removeTemplate(w.s.cli, id).catch(() => undefined),
  };
};

export const GITHUB_ROWS: Record<string, Row> = {
  "GET /api/v1/github/app": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: "/api/v1/github/app" }),
  },
  "PUT /api/v1/github/app": {
    expect: SUPER_ONLY(200),
    call: async () => ({
      path: "/api/v1/github/app",
      body: { appId: APP_ID, privateKey: PRIVATE },
    }),
  },
  "POST /api/v1/github/app/test": {
    expect: SUPER_ONLY(200),
    call: async (w) => {
      await useGithub(w);
      return { path: "/api/v1/github/app/test" };
    },
  },
  "GET /api/v1/github/app/installations": {
    expect: SUPER_ONLY(200),
    call: async (w) => {
      await useGithub(w);
      return { path: "/api/v1/github/app/installations" };
    },
  },
  "DELETE /api/v1/github/app": {
    expect: SUPER_ONLY(204),
    call: async (w) => {
      await useGithub(w);
      return { path: "/api/v1/github/app", cleanup: () => useGithub(w) };
    },
  },
  "GET /api/v1/github/sign-in": {
    expect: SUPER_ONLY(200),
    call: async () => ({ path: "/api/v1/github/sign-in" }),
  },
  "PUT /api/v1/github/sign-in": {
    expect: SUPER_ONLY(200),
    call: async () => ({
      path: "/api/v1/github/sign-in",
      body: {
        enabled: false,
        clientId: "Ov23liMatrix",
        clientSecret: "0123456789abcdef0123456789abcdef01234567",
      },
    }),
  },
  "GET /api/v1/templates": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/templates?account=${w.a}` }),
  },
  "POST /api/v1/templates": {
    expect: SUPER_ONLY(201),
    call: async (w) => {
      await useGithub(w);
      return {
        path: "/api/v1/templates",
        body: { account: w.a, owner: "acme", repo: freshRepo() },
      };
    },
  },
  "GET /api/v1/templates/:id": {
    expect: A_READ,
    call: (w) => withTemplate(w, (id) => `/api/v1/templates/${id}`),
  },
  "PATCH /api/v1/templates/:id": {
    expect: [200, 403, 403, 403, 404, 404, 403],
    call: (w) => withTemplate(w, (id) => `/api/v1/templates/${id}`, { description: "changed" }),
  },
  "DELETE /api/v1/templates/:id": {
    expect: [204, 403, 403, 403, 404, 404, 403],
    call: (w) => withTemplate(w, (id) => `/api/v1/templates/${id}`),
  },
  "POST /api/v1/templates/:id/generate": {
    expect: A_ADMIN(202),
    call: (w) => withTemplate(w, (id) => `/api/v1/templates/${id}/generate`, { name: "made" }),
  },
  "GET /api/v1/github/repositories": {
    expect: A_READ,
    call: async (w) => ({ path: `/api/v1/github/repositories?account=${w.a}` }),
  },
  "GET /api/v1/github/repositories/:id": {
    expect: A_READ,
    call: async (w) => {
      const template = await templateOnA(w);
      const made = await w.s.svc.github.generate(w.s.cli, template, {
        name: "made",
        private: true,
        includeAllBranches: false,
      });
      return { path: `/api/v1/github/repositories/${made.id}` };
    },
  },
};
