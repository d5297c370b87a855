import {
  account,
  accountCreate,
  accountListQuery,
  accountMember,
  accountMemberAdd,
  accountUpdate,
  page,
  principalType,
  v,
} from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { errors, idParams, paged, typed } from "../../http/route.ts";
import type { Services } from "../../services.ts";

export function accountsRoutes(app: FastifyInstance, svc: Services) {
  const r = typed(app);
  const tags = ["accounts"];
  r.get(
    "/api/v1/accounts",
    {
      config: { action: "account.list" },
      schema: {
        tags,
        querystring: paged(accountListQuery.shape),
        response: { 200: page(account), ...errors },
      },
    },
    (req) => svc.accounts.list(req.ctx, req.query),
  );
  r.post(
    "/api/v1/accounts",
    {
      config: { action: "account.create" },
      schema: { tags, body: accountCreate, response: { 201: account, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await svc.accounts.create(req.ctx, req.body)),
  );
  r.get(
    "/api/v1/accounts/:id",
    {
      config: { action: "account.read" },
      schema: { tags, params: idParams, response: { 200: account, ...errors } },
    },
    (req) => svc.accounts.get(req.ctx, req.params.id),
  );
  r.patch(
    "/api/v1/accounts/:id",
    {
      config: { action: "account.update" },
      schema: {
        tags,
        params: idParams,
        body: accountUpdate,
        response: { 200: account, ...errors },
      },
    },
    (req) => svc.accounts.update(req.ctx, req.params.id, req.body),
  );
  r.delete(
    "/api/v1/accounts/:id",
    {
      config: { action: "account.delete" },
      schema: { tags, params: idParams, response: { 204: z.null(), ...errors } },
    },
    async (req, reply) => {
      await svc.accounts.remove(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  );
  r.get(
    "/api/v1/accounts/:id/members",
    {
      config: { action: "account.member_list" },
      schema: {
        tags,
        params: idParams,
        querystring: paged({}),
        response: { 200: page(accountMember), ...errors },
      },
    },
    (req) => svc.accounts.members(req.ctx, req.params.id, req.query),
  );
  r.post(
    "/api/v1/accounts/:id/members",
    {
      config: { action: "account.member_add" },
      schema: {
        tags,
        params: idParams,
        body: accountMemberAdd,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.accounts.addMember(req.ctx, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );
  r.delete(
    "/api/v1/accounts/:id/members/:principalType/:principalId",
    {
      config: { action: "account.member_remove" },
      schema: {
        tags,
        params: z.strictObject({ id: v.id, principalType, principalId: v.id }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.accounts.removeMember(
        req.ctx,
        req.params.id,
        req.params.principalType,
        req.params.principalId,
      );
      return reply.status(204).send(null);
    },
  );
}
