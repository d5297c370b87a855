import { errorBody, pageQuery, v } from "@steward/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";

/** The typed router every module registers its routes on. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

export const idParams = z.strictObject({ id: v.id });
export const paged = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject({ ...shape, ...pageQuery });
export const errors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
};
export const noContent = { 204: z.null().describe("done") };
