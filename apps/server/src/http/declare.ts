// One home for the shape every module's routes share: a method, a path, the audit action, the
// zod schemas of what comes in and goes out, and the service call. Modules declare their routes
// as a table (`route({...})`, `crudRoutes({...})`) and `declareRoutes` registers them.
import { page } from "@steward/contracts";
import type { FastifyContextConfig, FastifyInstance, FastifySchema } from "fastify";
import { z } from "zod";
import type { Ctx } from "../access/types.ts";
import { errors, idParams, paged } from "./route.ts";

type Schema = z.ZodType;
type Infer<T> = T extends Schema ? z.output<T> : undefined;
// a route without a reply answers 204 and drops what the service returned
type Replied<T> = T extends Schema ? z.input<T> : unknown;

/** What a handler gets: the caller and the request's parsed parts. */
export interface RouteInput<P, Q, B> {
  ctx: Ctx;
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
}

export interface RouteSpec<P, Q, B, R> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  /** the audit action, e.g. "user.create" */
  action: string;
  description?: string;
  /** more route config: auth, rate limit */
  config?: Omit<FastifyContextConfig, "action">;
  params?: P;
  query?: Q;
  body?: B;
  /** the answer's schema; none means 204 with no body */
  reply?: R;
  /** the status of a good answer: 200 unless said (204 when there is no reply) */
  status?: 200 | 201 | 202;
  /** no error statuses in the document (routes that answer before any check) */
  noErrors?: boolean;
  handle: (input: RouteInput<P, Q, B>) => Promise<Replied<R>> | Replied<R>;
}

/** A route of the table, its types checked where it is written. */
export type AnyRoute = RouteSpec<Schema, Schema, Schema, Schema>;

export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  R extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}

function schemaOf(spec: AnyRoute, tags: string[]): FastifySchema {
  const ok = spec.reply ? { [spec.status ?? 200]: spec.reply } : { 204: z.null() };
  return {
    tags,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.params === undefined ? {} : { params: spec.params }),
    ...(spec.query === undefined ? {} : { querystring: spec.query }),
    ...(spec.body === undefined ? {} : { body: spec.body }),
    response: spec.noErrors ? ok : { ...ok, ...errors },
  };
}

/** Registers a module's route table under its OpenAPI tags. */
export function declareRoutes(app: FastifyInstance, tags: string[], routes: AnyRoute[]) {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { ...spec.config, action: spec.action },
      schema: schemaOf(spec, tags),
      handler: async (req, reply) => {
        const out = await spec.handle({
          ctx: req.ctx,
          params: req.params as never,
          query: req.query as never,
          body: req.body as never,
        });
        if (!spec.reply) return reply.status(204).send(null);
        return reply.status(spec.status ?? 200).send(out);
      },
    });
  }
}

/** The service calls behind the common list / create / read / update / delete routes. */
export interface CrudService<L, C, U, I, LI> {
  list(ctx: Ctx, query: L): Promise<{ items: LI[]; nextCursor: string | null }>;
  create?(ctx: Ctx, body: C): Promise<I>;
  get(ctx: Ctx, id: string): Promise<I>;
  update?(ctx: Ctx, id: string, body: U): Promise<I>;
  remove?(ctx: Ctx, id: string): Promise<unknown>;
}

export interface CrudSpec<
  L extends z.ZodRawShape,
  C extends Schema,
  U extends Schema,
  I extends Schema,
  LI extends Schema,
> {
  /** the collection's path, e.g. "/api/v1/users" */
  base: string;
  /** the audit noun, e.g. "user" → user.list, user.create… */
  noun: string;
  item: I;
  /** the list's item when it differs from the one read */
  listItem?: LI;
  listQuery: L;
  create?: C;
  createDescription?: string;
  update?: U;
  updateDescription?: string;
  /** a DELETE route calling the service's `remove` */
  deletable?: boolean;
  service: CrudService<
    z.output<ReturnType<typeof paged<L>>>,
    z.output<C>,
    z.output<U>,
    z.input<I>,
    z.input<LI>
  >;
}

/** The routes a collection of rows shares: list and read, then create, update and delete
 * where the service has them. */
export function crudRoutes<
  L extends z.ZodRawShape,
  C extends Schema,
  U extends Schema,
  I extends Schema,
  LI extends Schema = I,
>(spec: CrudSpec<L, C, U, I, LI>): AnyRoute[] {
  const { base, noun, item, service: svc } = spec;
  const { create, update, remove } = svc;
  const one = { url: `${base}/:id`, params: idParams };
  const routes = [
    route({
      method: "GET",
      url: base,
      action: `${noun}.list`,
      query: paged(spec.listQuery),
      reply: page(spec.listItem ?? item),
      handle: ({ ctx, query }) => svc.list(ctx, query as never) as never,
    }),
    create &&
      spec.create &&
      route({
        method: "POST",
        url: base,
        action: `${noun}.create`,
        description: spec.createDescription,
        body: spec.create as Schema,
        reply: item,
        status: 201,
        handle: ({ ctx, body }) => create.call(svc, ctx, body as never) as never,
      }),
    route({
      method: "GET",
      ...one,
      action: `${noun}.read`,
      reply: item,
      handle: ({ ctx, params }) => svc.get(ctx, params.id) as never,
    }),
    update &&
      spec.update &&
      route({
        method: "PATCH",
        ...one,
        action: `${noun}.update`,
        description: spec.updateDescription,
        body: spec.update as Schema,
        reply: item,
        handle: ({ ctx, params, body }) => update.call(svc, ctx, params.id, body as never) as never,
      }),
    remove &&
      spec.deletable &&
      route({
        method: "DELETE",
        ...one,
        action: `${noun}.delete`,
        handle: ({ ctx, params }) => remove.call(svc, ctx, params.id),
      }),
  ];
  return routes.filter((declared): declared is AnyRoute => Boolean(declared));
}
