// A compose app (docs/apps.md, "Compose stacks") is an `apps` row whose spec is
// `{source: "compose", compose, env, services, volumes}`: the file as given (`${VAR}`
// unresolved), the plain variables (the secret ones sealed with the row's others), and what the
// check found. The file is checked again at every deploy, with the variables opened and what
// the node allows then, and sent to the node resolved.
import {
  type AppComposeCreate,
  type ComposeAllowance,
  type ComposeStack,
  checkCompose,
  composeIssuesText,
  renderCompose,
  tcpPublishers,
} from "@steward/contracts/apps";
import type { Kysely } from "kysely";
import type { Secrets } from "../../crypto/secrets.ts";
import type { Database } from "../../db/schema.ts";
import { PermanentError } from "../../engine/types.ts";
import { AppError, invalid } from "../../lib/errors.ts";
import { catalogEntry, catalogEnv } from "./catalog.ts";
import { allowancesOf } from "./compose-repo.ts";
import type * as repo from "./repo.ts";

export interface ComposeSpec {
  source: "compose";
  compose: string;
  env: Record<string, string>;
  services: { name: string; image: string | null }[];
  volumes: string[];
  /** the service the app's site proxies to (an app with a domain); absent in older rows */
  ingress?: string | null;
  /**
   * a git app's compose file: its path in the repository (`compose` is then its text as last
   * deployed, "" before the first deploy); absent for a pasted stack
   */
  repoFile?: string;
}

/** an app's image column for a stack: its services' images */
export const imagesOf = (services: ComposeSpec["services"]) =>
  services
    .map((s) => s.image ?? `${s.name} (built)`)
    .join(", ")
    .slice(0, 1000);

export function composeSpecOf(row: Pick<repo.AppRow, "spec">): ComposeSpec | null {
  const spec = JSON.parse(row.spec) as { source?: string };
  return spec.source === "compose" ? (spec as ComposeSpec) : null;
}

/** The file and variables a create names: its own, or a catalog entry's (secrets generated). */
export function composeSource(input: AppComposeCreate): {
  file: string;
  env: AppComposeCreate["env"];
  name: string;
} {
  if (input.compose !== undefined)
    return { file: input.compose, env: input.env, name: input.name ?? "stack" };
  const entry = catalogEntry(input.catalog ?? "");
  if (!entry)
    throw new AppError("VALIDATION_FAILED", `catalog: there is no catalog entry ${input.catalog}`, [
      { field: "catalog", message: "is not an entry of the catalog" },
    ]);
  return { file: entry.file, env: catalogEnv(entry, input.env), name: input.name ?? entry.id };
}

/** Checks a file with its variables and the node's allowances: a 400 naming each key refused. */
export function checkOrRefuse(
  file: string,
  env: Record<string, string>,
  allow: ComposeAllowance[],
) {
  const checked = checkCompose(file, { env, allow });
  if (checked.ok) return checked.stack;
  const details = checked.issues.map((i) => ({
    field: i.path === "compose" ? "compose" : `compose.${i.path}`,
    message: i.message,
  }));
  const text = details
    .slice(0, 5)
    .map((d) => `${d.field}: ${d.message}`)
    .join("; ");
  throw new AppError("VALIDATION_FAILED", text, details);
}

/**
 * The service a stack served through a site proxies to: the one named, or the first that
 * publishes a TCP port; a 400 naming `field` when the file has none (null without a domain).
 */
export function ingressOf(
  stack: ComposeStack,
  domain: string | null | undefined,
  wanted: string | null | undefined,
  field: "ingressService" | "compose",
): string | null {
  if (!domain) return null;
  const publishers = tcpPublishers(stack);
  if (wanted) {
    if (!publishers.includes(wanted))
      throw invalid(field, `the service ${wanted} must publish a TCP port (the site's upstream)`);
    return wanted;
  }
  const first = publishers[0];
  if (!first)
    throw invalid(
      field === "compose" ? "compose" : "domain",
      "needs a service that publishes a TCP port (the site's upstream)",
    );
  return first;
}

/** A compose app's variables, the secret ones opened (only in its deploy task). */
export function composeEnvOf(app: repo.AppRow, spec: ComposeSpec, secrets: Secrets) {
  const sealed = app.secrets_sealed
    ? (JSON.parse(secrets.open(app.secrets_sealed)) as Record<string, string>)
    : {};
  return { ...spec.env, ...sealed };
}

/** What a deploy sends the node: the file checked again now, resolved, and the allowances. */
export async function composeDeployInput(
  k: Kysely<Database>,
  app: repo.AppRow,
  spec: ComposeSpec,
  secrets: Secrets,
) {
  const allow = await allowancesOf(k, app.node_id);
  const checked = checkCompose(spec.compose, { env: composeEnvOf(app, spec, secrets), allow });
  if (!checked.ok)
    throw new PermanentError(`the compose file is refused: ${composeIssuesText(checked.issues)}`);
  return {
    appId: app.id,
    project: app.runtime_name,
    file: renderCompose(checked.stack.document),
    allow,
  };
}
