// Serves the built web console (apps/web/dist) at /: its files as they are, and index.html
// for every other page address, so the console's router handles deep links. Nothing under
// /api is ever answered with a page. Hashed assets are cached for good, the rest revalidated.
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { NotFoundFallback } from "./errors.ts";

export const defaultConsoleDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../web/dist",
);

const notBuilt = `<!doctype html><meta charset="utf-8"><title>Steward</title>
<p>The web console is not built. Run <code>npm start</code> (it builds the console when needed)
or <code>npm run build:web</code>, then reload. The API is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`;

function wantsPage(request: FastifyRequest): boolean {
  const path = request.url.split("?")[0] ?? "/";
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    !path.startsWith("/api/") &&
    path !== "/api" &&
    !/\.[a-z0-9]+$/i.test(path) // a missing file is a 404, not the app
  );
}

export async function registerConsole(
  app: FastifyInstance,
  dir: string | undefined,
): Promise<NotFoundFallback> {
  const root = dir ?? defaultConsoleDir;
  if (!existsSync(join(root, "index.html"))) {
    return async (request, reply) => {
      if (!wantsPage(request)) return false;
      await reply.code(503).type("text/html; charset=utf-8").send(notBuilt);
      return true;
    };
  }
  await app.register(fastifyStatic, { root, serve: false, index: false });
  const files = new Set(readdirSync(root).filter((f) => f !== "index.html" && f !== "assets"));
  const send = (reply: FastifyReply, file: string, cache: string) =>
    reply.header("cache-control", cache).sendFile(file, { cacheControl: false });

  return async (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const path = request.url.split("?")[0] ?? "/";
    const m = /^\/assets\/([A-Za-z0-9._-]+)$/.exec(path);
    if (m?.[1] && existsSync(join(root, "assets", m[1]))) {
      await send(reply, `assets/${m[1]}`, "public, max-age=31536000, immutable");
      return true;
    }
    const name = path.slice(1);
    if (files.has(name)) {
      await send(reply, name, "no-cache");
      return true;
    }
    if (!wantsPage(request)) return false;
    await send(reply, "index.html", "no-cache");
    return true;
  };
}
