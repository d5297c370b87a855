// The compose side of the apps API (docs/apps.md, "Compose stacks" and "One-click apps"): an
// app made from a compose file or from an entry of the catalog, the catalog itself, and what
// a super user allows compose files on a node.
import { z } from "zod";
import { domain, id } from "../validators.ts";
import { appEnvVar } from "./api.ts";
import { composeAllowance, composeText } from "./compose.ts";
import { SERVICE_NAME } from "./compose-rules.ts";
import { appName } from "./names.ts";

export const catalogId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,47}$/,
    "must be a catalog entry's id (lowercase letters, digits, -)",
  );

export const appComposeCreate = z
  .strictObject({
    account: id,
    node: id,
    /** default: the catalog entry's id, or "stack"; suffixed -2, -3... when the node has it */
    name: appName.optional(),
    /** the compose file (`${VAR}` from env); or `catalog` */
    compose: composeText.optional(),
    /** a one-click app of GET /api/v1/app-catalog; or `compose` */
    catalog: catalogId.optional(),
    env: z.array(appEnvVar).max(200, "must have at most 200 variables").default([]),
    /** served through a proxy site of this name (docs/apps.md, "Ingress through a site") */
    domain: domain.optional(),
    /** the service the site proxies to (its published TCP port); default: the first publishing one */
    ingressService: z.string().regex(SERVICE_NAME, "must be a service name of the file").optional(),
  })
  .refine((b) => (b.compose === undefined) !== (b.catalog === undefined), {
    message: "give either a compose file or a catalog entry",
    path: ["compose"],
  })
  .refine((b) => b.ingressService === undefined || b.domain !== undefined, {
    message: "needs a domain (the site that proxies to it)",
    path: ["ingressService"],
  });
export type AppComposeCreate = z.infer<typeof appComposeCreate>;

/** A compose app's new file (its variables kept), deployed at once. */
export const appComposeUpdate = z.strictObject({ compose: composeText });

export const catalogEnvVar = z.object({
  key: z.string(),
  description: z.string(),
  /** sealed, never answered */
  secret: z.boolean(),
  /** a random value is generated when none is given */
  generated: z.boolean(),
  /** the value used when none is given (null: none) */
  default: z.string().nullable(),
});
export const catalogEntry = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  services: z.array(z.object({ name: z.string(), image: z.string().nullable() })),
  env: z.array(catalogEnvVar),
  /** the compose template */
  file: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntry>;
export const appCatalog = z.object({ items: z.array(catalogEntry) });

export const composeAllowances = z.object({
  node: z.string(),
  allow: z.array(composeAllowance),
});
export const composeAllowancesUpdate = z.strictObject({
  allow: z.array(composeAllowance).max(20),
});
