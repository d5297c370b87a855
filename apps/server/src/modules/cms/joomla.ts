// The panel's client of a Joomla 4/5 site (docs/cms.md#joomla): Joomla's Web Services API
// (/api/index.php/v1/, JSON:API answers) authenticated with a Super User's API token in
// `X-Joomla-Token`, and the routes Akeeba's Panopticon connector adds under v1/panopticon/
// (core version and update offer, extensions with their offers, extension updates; the core
// update in joomla-core.ts), every request under the outbound (SSRF) policy at connect time,
// the token never sent elsewhere.
// Joomla is not installable here: this client is tested against testkit's joomla-fake.ts.
import { type CmsExtension, type CmsInfo, joomlaVersion } from "@steward/contracts";
import { z } from "zod";
import { panelAddresses } from "../../lib/outbound.ts";
import { type OutboundAnswer, outboundRequest } from "../../lib/outbound-http.ts";
import { compareVersions } from "../../lib/versions.ts";
import {
  ConnectorError,
  jsonOf,
  SITE_ANSWER_MS,
  USER_AGENT,
  type WpOptions,
  type WpTarget,
} from "./wordpress.ts";

export type JoomlaCall = {
  method: "GET" | "POST";
  /** after /api/index.php, e.g. /v1/extensions */
  path: string;
  auth?: boolean;
  body?: unknown;
  /** a form body instead of JSON (the connector's core update routes read the POST form) */
  form?: Record<string, string>;
  timeoutMs?: number;
};

/** One request to the site's API application. */
export function joomlaRequest(
  target: WpTarget,
  options: WpOptions,
  call: JoomlaCall,
): Promise<OutboundAnswer> {
  const headers: Record<string, string> = {
    accept: "application/vnd.api+json",
    "user-agent": USER_AGENT,
  };
  if (call.auth) headers["x-joomla-token"] = target.password;
  // a POST always carries a JSON object or a form (Joomla reads its input from either)
  const body = call.method === "POST" && !call.form ? (call.body ?? {}) : call.body;
  if (call.form) headers["content-type"] = "application/x-www-form-urlencoded";
  else if (body !== undefined) headers["content-type"] = "application/json";
  return outboundRequest(
    {
      field: "url",
      method: call.method,
      url: `${target.url.replace(/\/+$/, "")}/api/index.php${call.path}`,
      headers,
      body: call.form
        ? new URLSearchParams(call.form).toString()
        : body === undefined
          ? undefined
          : JSON.stringify(body),
      credentialHeaders: ["x-joomla-token", "authorization"],
      redirects: call.method === "GET" ? "all" : "preserving",
    },
    {
      policy: options.policy,
      who: "this panel",
      localAddresses: panelAddresses(),
      resolve: options.resolve,
      timeoutMs: call.timeoutMs ?? SITE_ANSWER_MS,
      maxBytes: 8 * 1024 * 1024,
    },
  );
}

/** Joomla's JSON:API error document (`{errors: [{title}]}`), parsed. */
export const errorsOf = (body: unknown) =>
  z.object({ errors: z.array(z.object({ title: z.string().max(300) })).min(1) }).safeParse(body);

/** The answer's `data` parsed by `schema`; a ConnectorError naming Joomla's error otherwise. */
export async function joomlaApi<S extends z.ZodType>(
  target: WpTarget,
  options: WpOptions,
  call: JoomlaCall,
  schema: S,
): Promise<z.infer<S>> {
  const answer = await joomlaRequest(target, options, { ...call, auth: true });
  const body = jsonOf(answer);
  if (answer.status !== 200) {
    const errors = errorsOf(body);
    throw new ConnectorError(
      `the site answered HTTP ${answer.status}${errors.success ? `: ${errors.data.errors[0]?.title}` : ""}`,
    );
  }
  const data = (body as { data?: unknown } | undefined)?.data;
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ConnectorError("the site's answer is not what it should be");
  return parsed.data as z.infer<S>;
}

/** A resource of a JSON:API document: its attributes. */
export const resource = <S extends z.ZodType>(attributes: S) => z.object({ attributes });

const coreUpdate = resource(
  z.object({
    current: z.string().max(50),
    latest: z.string().max(50).nullish(),
    phpVersion: z.string().max(100).nullish(),
  }),
);

export const joomlaExtension = z.object({
  extension_id: z.number().int(),
  name: z.string().max(300),
  type: z.enum([
    "component",
    "module",
    "plugin",
    "template",
    "package",
    "library",
    "file",
    "language",
  ]),
  element: z.string().max(200),
  folder: z.string().max(100).nullish(),
  client_id: z.coerce.number().int(),
  enabled: z.coerce.number().int(),
  version: z.string().max(100).nullish(),
  new_version: z.string().max(100).nullish(),
});
type JoomlaExtension = z.infer<typeof joomlaExtension>;
const extensionList = z.array(resource(joomlaExtension)).max(10_000);

/** Joomla's own name of an extension: com_x, mod_x, plg_<folder>_x, tpl_x, pkg_x, lib_x… */
export function joomlaSlug(e: Pick<JoomlaExtension, "type" | "element" | "folder">): string {
  const prefix = {
    plugin: `plg_${e.folder ?? ""}_`,
    template: "tpl_",
    library: "lib_",
    file: "files_",
    language: "lang_",
  } as Partial<Record<string, string>>;
  const p = prefix[e.type] ?? "";
  return e.element.startsWith(p) ? e.element : `${p}${e.element}`;
}

const offered = (current: string | null | undefined, next: string | null | undefined) =>
  next && (!current || compareVersions(next, current) > 0) ? next : null;

export const listExtensions = (target: WpTarget, options: WpOptions, force: boolean) =>
  joomlaApi(
    target,
    options,
    {
      method: "GET",
      path: `/v1/panopticon/extensions?page[limit]=10000${force ? "&force=1" : ""}`,
      timeoutMs: 60_000,
    },
    extensionList,
  ).then((items) => items.map((i) => i.attributes));

/** The site's Joomla version and the one offered (asking the update servers when `force`), both versions. */
export async function readCoreVersions(target: WpTarget, options: WpOptions, force: boolean) {
  const { attributes: core } = await joomlaApi(
    target,
    options,
    {
      method: "GET",
      path: `/v1/panopticon/core/update${force ? "?force=1" : ""}`,
      timeoutMs: 60_000,
    },
    coreUpdate,
  );
  const current = joomlaVersion.safeParse(core.current);
  if (!current.success) throw new ConnectorError("the site's Joomla version is not a version");
  const latest = core.latest ? joomlaVersion.safeParse(core.latest) : null;
  if (latest && !latest.success)
    throw new ConnectorError("the Joomla version offered is not a version");
  return { current: current.data, latest: latest?.data ?? null, php: core.phpVersion ?? "" };
}

/** The core version and its offer, every extension and its offer (asking the update servers when `check`). */
export async function readJoomlaInfo(
  target: WpTarget,
  options: WpOptions,
  check: boolean,
): Promise<CmsInfo> {
  const core = await readCoreVersions(target, options, check);
  const extensions = await listExtensions(target, options, check);
  const connector = extensions.find(
    (e) => e.element === "pkg_panopticon" || e.element === "com_panopticon",
  );
  return {
    connector: connector?.version ?? "unknown",
    core: core.current,
    php: core.php,
    database: "",
    siteUrl: target.url,
    timezone: "",
    coreUpdate: offered(core.current, core.latest),
    extensions: extensions.map(
      (e): CmsExtension => ({
        type: e.type,
        slug: joomlaSlug(e),
        name: e.name,
        version: e.version ?? "",
        active: e.enabled === 1,
        update: offered(e.version, e.new_version),
      }),
    ),
  };
}

const updateResult = z
  .array(
    resource(
      z.object({
        id: z.number().int(),
        status: z.boolean(),
        messages: z.array(z.object({ message: z.string().max(2000) })).max(200),
      }),
    ),
  )
  .max(100);

/** Installs the update offered for one extension (by its Joomla name), as the connector answers. */
export async function applyJoomlaUpdate(target: WpTarget, options: WpOptions, slug: string) {
  const before = (await listExtensions(target, options, false)).find((e) => joomlaSlug(e) === slug);
  if (!before) throw new ConnectorError(`the site has no extension ${slug}`);
  const result = await joomlaApi(
    target,
    options,
    {
      method: "POST",
      path: "/v1/panopticon/update",
      body: { eid: [before.extension_id] },
      timeoutMs: 300_000,
    },
    updateResult,
  );
  const mine = result.find((r) => r.attributes.id === before.extension_id)?.attributes;
  const after = (await listExtensions(target, options, false)).find((e) => joomlaSlug(e) === slug);
  return {
    ok: mine?.status === true,
    type: "extension" as const,
    slug,
    from: before.version ?? null,
    to: after?.version ?? null,
    error: mine?.status
      ? null
      : mine?.messages.map((m) => m.message).join("; ") || "no result for the extension",
    log: mine?.messages.map((m) => m.message) ?? [],
  };
}
