import {
  group,
  groupCreate,
  groupListQuery,
  groupMemberAdd,
  groupUpdate,
  page,
  v,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

const member = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  addedAt: z.string(),
});

export function groupsRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["groups"];
  r.get(
    "/api/v1/groups",
    {
      config: { action: "group.list" },
      schema: {
        tags,
        querystring: paged(groupListQuery.shape),
        response: { 200: page(group), ...errors },
      },
    },
    (req) => svc.groups.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/groups",
    {
      config: { action: "group.create" },
      schema: { tags, body: groupCreate, response: { 201: group, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await svc.groups.create(req.ctx, req.body)),
  );
  r.get(
    "/api/v1/groups/:id",
    {
      config: { action: "group.read" },
      schema: { tags, params: idParams, response: { 200: group, ...errors } },
    },
    (req) => svc.groups.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/groups/:id",
    {
      config: { action: "group.update" },
      schema: { tags, params: idParams, body: groupUpdate, response: { 200: group, ...errors } },
    },
    (req) => svc.groups.update(req.ctx, req.params.id, req.body),
  );
  r.delete(
    "/api/v1/groups/:id",
    {
      config: { action: "group.delete" },
      schema: { tags, params: idParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.groups.remove(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.get(
    "/api/v1/groups/:id/members",
    {
      config: { action: "group.member_list" },
      schema: {
        tags,
        params: idParams,
        querystring: paged({}),
        response: { 200: page(member), ...errors },
      },
    },
    (req) => svc.groups.members(req.ctx, req.params.id, req.query),
  );
  r.post(
    "/api/v1/groups/:id/members",
    {
      config: { action: "group.member_add" },
      schema: {
        tags,
        params: idParams,
        body: groupMemberAdd,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.groups.addMember(req.ctx, req.params.id, req.body.userId);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    "/api/v1/groups/:id/members/:userId",
    {
      config: { action: "group.member_remove" },
      schema: {
        tags,
        params: z.strictObject({ id: v.id, userId: v.id }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.groups.removeMember(req.ctx, req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );
}
