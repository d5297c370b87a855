// Compose stacks (docs/apps.md, "Compose stacks"): a compose file checked the same way on the
// panel (before anything is stored) and on the node's agent (before docker-compose reads it).
// `checkCompose` parses it (compose-parse.ts), interpolates `${VAR}` from the app's env,
// checks every service and top-level resource (compose-rules.ts) and answers either the
// issues (each naming the key: `services.web.privileged`) or the stack: its services, its
// named volumes and the resolved document. `renderCompose` writes that document back as the
// YAML the node runs: every `$` doubled (nothing is interpolated twice), each service labelled
// `steward.app=<app id>` so that the apps' operations find its containers.
import { stringify } from "yaml";
import { z } from "zod";
import {
  COMPOSE_MAX_CHARS,
  type ComposeIssue,
  escapeDollars,
  interpolateAll,
  parseYaml,
} from "./compose-parse.ts";
import {
  Checker,
  COMPOSE_ALLOWANCES,
  type ComposeAllowance,
  publishesTcp,
} from "./compose-rules.ts";

export { COMPOSE_ALLOWANCES, COMPOSE_MAX_CHARS, type ComposeAllowance, type ComposeIssue };

export const composeAllowance = z.enum(COMPOSE_ALLOWANCES);
export const composeText = z
  .string()
  .min(1, "must not be empty")
  .max(COMPOSE_MAX_CHARS, `must be at most ${COMPOSE_MAX_CHARS} characters`);

/** A compose app's stack as the API answers it. */
export const appComposeInfo = z.object({
  /** the compose file as given (`${VAR}` unresolved) */
  file: z.string(),
  services: z.array(z.object({ name: z.string(), image: z.string().nullable() })),
  /** the engine's names of its named volumes (<app name>_<volume>) */
  volumes: z.array(z.string()),
  /** the service the app's site proxies to (its published TCP port); null without a domain */
  ingressService: z.string().nullable(),
});

export interface ComposeService {
  name: string;
  image: string | null;
}

/** The services of a checked stack that publish a TCP port on the host, in file order. */
export function tcpPublishers(stack: ComposeStack): string[] {
  const services = (stack.document as { services?: Record<string, { ports?: unknown }> }).services;
  return Object.entries(services ?? {})
    .filter(([, s]) => publishesTcp(s?.ports))
    .map(([name]) => name);
}
export interface ComposeStack {
  services: ComposeService[];
  /** the named volumes it declares (the engine calls them <project>_<name>) */
  volumes: string[];
  /** the document with `${VAR}` resolved */
  document: Record<string, unknown>;
}
export type ComposeCheck =
  | { ok: true; stack: ComposeStack }
  | { ok: false; issues: ComposeIssue[] };

const TOP_KEYS = new Set(["version", "services", "volumes", "networks", "configs", "secrets"]);
const MAX_SERVICES = 50;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

export function checkCompose(
  text: string,
  opts: { env: Record<string, string>; allow?: readonly ComposeAllowance[] },
): ComposeCheck {
  const parsed = parseYaml(text);
  if (parsed.issues.length) return { ok: false, issues: parsed.issues };
  if (!isObject(parsed.value))
    return { ok: false, issues: [{ path: "compose", message: "must be a mapping with services" }] };
  const interpolation: ComposeIssue[] = [];
  const doc = interpolateAll(parsed.value, opts.env, "", interpolation) as Record<string, unknown>;
  if (interpolation.length) return { ok: false, issues: interpolation.slice(0, 20) };
  const services = doc.services;
  if (!isObject(services) || !Object.keys(services).length)
    return { ok: false, issues: [{ path: "services", message: "must name at least one service" }] };
  if (Object.keys(services).length > MAX_SERVICES)
    return {
      ok: false,
      issues: [{ path: "services", message: `must be at most ${MAX_SERVICES}` }],
    };
  const check = new Checker(new Set(opts.allow ?? []), new Set(Object.keys(services)));
  for (const key of Object.keys(doc))
    if (!TOP_KEYS.has(key) && !key.startsWith("x-"))
      check.refuse(
        key,
        key === "name"
          ? "is refused: Steward names the project after the app"
          : "is not a key Steward accepts",
      );
  if (doc.version !== undefined && typeof doc.version !== "string")
    check.refuse("version", "must be a string");
  for (const [name, s] of Object.entries(services)) check.service(name, s);
  for (const kind of ["volumes", "networks"] as const)
    for (const [name, v] of Object.entries(isObject(doc[kind]) ? doc[kind] : {}))
      check.resource(kind, name, v);
  for (const kind of ["configs", "secrets"] as const)
    for (const [name, v] of Object.entries(isObject(doc[kind]) ? doc[kind] : {}))
      check.fileResource(kind, name, v);
  for (const kind of ["volumes", "networks", "configs", "secrets"] as const)
    if (doc[kind] !== undefined && doc[kind] !== null && !isObject(doc[kind]))
      check.refuse(kind, "must be a mapping");
  if (check.issues.length) return { ok: false, issues: check.issues.slice(0, 50) };
  return {
    ok: true,
    stack: {
      services: Object.entries(services).map(([name, s]) => {
        const image = (s as { image?: unknown }).image;
        return { name, image: typeof image === "string" ? image : null };
      }),
      volumes: Object.keys(isObject(doc.volumes) ? doc.volumes : {}),
      document: doc,
    },
  };
}

/**
 * The document as YAML again, every `$` doubled: what the panel sends the node (checked there
 * again) and, with the app's id (each service labelled with it), what the node runs.
 */
export function renderCompose(document: Record<string, unknown>, appId?: string): string {
  const out = escapeDollars(document) as Record<string, unknown>;
  const services = out.services as Record<string, Record<string, unknown>>;
  if (appId)
    for (const s of Object.values(services)) {
      const labels = s.labels;
      s.labels = Array.isArray(labels)
        ? [...labels, `steward.app=${appId}`]
        : { ...(isObject(labels) ? labels : {}), "steward.app": appId };
    }
  return stringify(out, { aliasDuplicateObjects: false, lineWidth: 0 });
}

/** The issues as one sentence (CLI, task logs). */
export const composeIssuesText = (issues: readonly ComposeIssue[]) =>
  issues.map((i) => `${i.path}: ${i.message}`).join("; ");
