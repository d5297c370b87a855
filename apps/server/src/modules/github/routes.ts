import {
  githubAppCheck,
  githubAppSettings,
  githubAppUpdate,
  githubGenerate,
  githubInstallation,
  githubRepository,
  githubRepositoryListQuery,
  githubSignInSettings,
  githubSignInUpdate,
  githubTemplate,
  githubTemplateCreate,
  githubTemplateListQuery,
  githubTemplateUpdate,
  signInMethods,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { declareRoutes, route } from "../../http/declare.ts";
import { idParams } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function githubRoutes(app: FastifyInstance, svc: Services) {
  declareRoutes(
    app,
    ["github"],
    [
      route({
        method: "GET",
        url: "/api/v1/github/app",
        action: "github.app.get",
        description: "The installation's GitHub App: its id, key fingerprint and default owner.",
        reply: githubAppSettings,
        handle: ({ ctx }) => svc.github.getApp(ctx),
      }),
      route({
        method: "PUT",
        url: "/api/v1/github/app",
        action: "github.app.update",
        description: "Sets the GitHub App (its id and private key, sealed; never answered).",
        body: githubAppUpdate,
        reply: githubAppSettings,
        handle: ({ ctx, body }) => svc.github.setApp(ctx, body),
      }),
      route({
        method: "POST",
        url: "/api/v1/github/app/test",
        action: "github.app.test",
        description: "Asks GitHub who the App is (GET /app), signed with the stored key.",
        reply: githubAppCheck,
        handle: ({ ctx }) => svc.github.testApp(ctx),
      }),
      route({
        method: "GET",
        url: "/api/v1/github/app/installations",
        action: "github.app.installations",
        description:
          "The App's installations (GitHub's first 100): each owner and its installation id.",
        reply: z.object({ items: z.array(githubInstallation) }),
        handle: async ({ ctx }) => ({ items: await svc.github.listInstallations(ctx) }),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/github/app",
        action: "github.app.remove",
        handle: ({ ctx }) => svc.github.removeApp(ctx),
      }),
      route({
        method: "GET",
        url: "/api/v1/github/sign-in",
        action: "github.sign_in.get",
        description:
          "Sign in with GitHub: whether it is on, the OAuth App's client id and the callback URL to register (never the secret).",
        reply: githubSignInSettings,
        handle: ({ ctx }) => svc.githubSignIn.get(ctx),
      }),
      route({
        method: "PUT",
        url: "/api/v1/github/sign-in",
        action: "github.sign_in.update",
        description:
          "Turns sign in with GitHub on or off with the OAuth App's client id and secret (sealed; kept when left out).",
        body: githubSignInUpdate,
        reply: githubSignInSettings,
        handle: ({ ctx, body }) => svc.githubSignIn.set(ctx, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/sign-in/methods",
        action: "sign_in.methods",
        config: { auth: "public" },
        description: "How one may sign in here (the sign-in page's buttons).",
        reply: signInMethods,
        noErrors: true,
        handle: async () => ({
          password: true as const,
          github: await svc.githubSignIn.enabled(),
        }),
      }),
      route({
        method: "GET",
        url: "/api/v1/templates",
        action: "github.template.list",
        description: "An account's GitHub template repositories (the catalog).",
        query: githubTemplateListQuery,
        reply: z.object({ items: z.array(githubTemplate) }),
        handle: async ({ ctx, query }) => ({
          items: await svc.github.listTemplates(ctx, query.account),
        }),
      }),
      route({
        method: "GET",
        url: "/api/v1/templates/:id",
        action: "github.template.get",
        params: idParams,
        reply: githubTemplate,
        handle: ({ ctx, params }) => svc.github.getTemplate(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/templates",
        action: "github.template.create",
        description:
          "Adds a template to an account's catalog once GitHub confirms the App reaches it and it is a template.",
        body: githubTemplateCreate,
        reply: githubTemplate,
        status: 201,
        handle: ({ ctx, body }) => svc.github.createTemplate(ctx, body),
      }),
      route({
        method: "PATCH",
        url: "/api/v1/templates/:id",
        action: "github.template.update",
        description:
          "Changes a template's description, or its repository once GitHub confirms the App reaches it and it is a template.",
        params: idParams,
        body: githubTemplateUpdate,
        reply: githubTemplate,
        handle: ({ ctx, params, body }) => svc.github.updateTemplate(ctx, params.id, body),
      }),
      route({
        method: "DELETE",
        url: "/api/v1/templates/:id",
        action: "github.template.remove",
        params: idParams,
        handle: ({ ctx, params }) => svc.github.removeTemplate(ctx, params.id),
      }),
      route({
        method: "POST",
        url: "/api/v1/templates/:id/generate",
        action: "github.generate",
        description:
          "Generates a repository from the template (a github.generate task: follow it by taskId).",
        params: idParams,
        body: githubGenerate,
        reply: githubRepository,
        status: 202,
        handle: ({ ctx, params, body }) => svc.github.generate(ctx, params.id, body),
      }),
      route({
        method: "GET",
        url: "/api/v1/github/repositories",
        action: "github.repository.list",
        description: "An account's generated repositories, newest first (the latest 100).",
        query: githubRepositoryListQuery,
        reply: z.object({ items: z.array(githubRepository) }),
        handle: async ({ ctx, query }) => ({
          items: await svc.github.listRepositories(ctx, query.account),
        }),
      }),
      route({
        method: "GET",
        url: "/api/v1/github/repositories/:id",
        action: "github.repository.get",
        params: idParams,
        reply: githubRepository,
        handle: ({ ctx, params }) => svc.github.getRepository(ctx, params.id),
      }),
    ],
  );
}
