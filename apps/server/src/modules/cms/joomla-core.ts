// A Joomla core update through Akeeba's Panopticon connector, in the order Panopticon's own
// JoomlaUpdate task drives it (docs/cms.md#joomla-core-updates): the update information
// reloaded (`GET v1/panopticon/core/update?force=1`), the package downloaded by the site in
// chunks (`POST …/core/update/download/chunked`, falling back to `…/download` in one go when
// the chunked download fails), Joomla Update's extraction script activated
// (`POST …/core/update/activate`: update.php with a one-time password), the package extracted
// by administrator/components/com_joomlaupdate/extract.php (`startExtract`, `stepExtract`…
// with the serialised engine it answers, `finalizeUpdate`), Joomla's own post-update code
// (`POST …/core/update/postupdate`), and the update information reloaded again: the update
// succeeded when the site then runs the version it downloaded. Every answer is validated
// (versions, file name, password, engine) before it is used or sent back. Joomla 4.0.0–4.0.3's
// encrypted restore.php is not driven: such a site is refused before anything changes.
import { joomlaPackageName } from "@steward/contracts";
import { z } from "zod";
import { panelAddresses } from "../../lib/outbound.ts";
import { outboundRequest } from "../../lib/outbound-http.ts";
import { compareVersions } from "../../lib/versions.ts";
import { errorsOf, joomlaApi, joomlaRequest, readCoreVersions, resource } from "./joomla.ts";
import { ConnectorError, jsonOf, USER_AGENT, type WpOptions, type WpTarget } from "./wordpress.ts";

/** Calls of the chunked download and steps of extract.php at most (a site never done is an error). */
const MAX_CALLS = 2000;

const chunked = resource(
  z.object({
    basename: z.union([joomlaPackageName, z.literal(false)]).nullish(),
    // sent back to the site (which downloads it), never fetched by the panel
    url: z
      .string()
      .max(2000)
      .regex(/^https?:\/\/[\x21-\x7e]+$/)
      .nullish(),
    size: z.number().int().nullish(),
    offset: z.number().int().nullish(),
    chunk_index: z.number().int().nullish(),
    done: z.boolean().nullish(),
    error: z.string().max(2000).nullish(),
  }),
);
const single = resource(z.object({ basename: joomlaPackageName, check: z.boolean().nullish() }));
const activated = resource(
  z.object({
    // update.php's password: extract.php refuses one shorter than 32 characters
    password: z
      .string()
      .min(32)
      .max(200)
      .regex(/^[\x21-\x7e]+$/),
    filesize: z.union([z.number().int(), z.literal(false)]).nullish(),
    file: joomlaPackageName,
  }),
);
const extractAnswer = z.object({
  status: z.boolean(),
  message: z.string().max(2000).nullish(),
  done: z.boolean().nullish(),
  files: z.number().nullish(),
  bytesIn: z.number().nullish(),
  instance: z
    .string()
    .max(1_000_000)
    .regex(/^[A-Za-z0-9+/=]+$/)
    .nullish(),
});

type Site = { target: WpTarget; options: WpOptions };

/** The site's current version and the one offered, asked of Joomla's update servers. */
const versions = (site: Site) => readCoreVersions(site.target, site.options, true);

/** The package downloaded to the site's tmp folder: its file name. */
async function download(site: Site, log: string[]): Promise<string> {
  let form: Record<string, string> = {};
  let offset = 0;
  for (let call = 0; call < MAX_CALLS; call++) {
    const { attributes: a } = await joomlaApi(
      site.target,
      site.options,
      {
        method: "POST",
        path: "/v1/panopticon/core/update/download/chunked",
        form,
        timeoutMs: 120_000,
      },
      chunked,
    );
    if (a.error || !a.basename) {
      log.push(`the chunked download failed (${a.error ?? "no file name"}): downloading in one go`);
      return downloadWhole(site);
    }
    if (a.done) {
      log.push(`downloaded ${a.basename} (${a.size ?? "?"} bytes)`);
      return a.basename;
    }
    if (!a.url || typeof a.offset !== "number" || a.offset <= offset)
      throw new ConnectorError("the site's chunked download does not advance");
    offset = a.offset;
    form = {
      url: a.url,
      size: String(a.size ?? -1),
      offset: String(a.offset),
      chunk_index: String(a.chunk_index ?? 0),
    };
  }
  throw new ConnectorError(`the site's download did not end in ${MAX_CALLS} calls`);
}

async function downloadWhole(site: Site): Promise<string> {
  const { attributes: a } = await joomlaApi(
    site.target,
    site.options,
    { method: "POST", path: "/v1/panopticon/core/update/download", form: {}, timeoutMs: 300_000 },
    single,
  );
  if (a.check === false) throw new ConnectorError("the downloaded package's checksum is wrong");
  return a.basename;
}

/** One POST to extract.php (outside Joomla: its password, not the API token). */
async function extract(site: Site, password: string, fields: Record<string, string>) {
  const url = `${site.target.url.replace(/\/+$/, "")}/administrator/components/com_joomlaupdate/extract.php`;
  const answer = await outboundRequest(
    {
      field: "url",
      method: "POST",
      url,
      headers: {
        accept: "application/json",
        "user-agent": USER_AGENT,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ ...fields, password }).toString(),
    },
    {
      policy: site.options.policy,
      who: "this panel",
      localAddresses: panelAddresses(),
      resolve: site.options.resolve,
      timeoutMs: 120_000,
      maxBytes: 2 * 1024 * 1024,
    },
  );
  if (answer.status === 401)
    throw new ConnectorError(
      "extract.php answered HTTP 401: the administrator folder asks for a password; lift it for com_joomlaupdate/extract.php",
    );
  if (answer.status !== 200) throw new ConnectorError(`extract.php answered HTTP ${answer.status}`);
  const parsed = extractAnswer.safeParse(jsonOf(answer));
  if (!parsed.success) throw new ConnectorError("extract.php's answer is not what it should be");
  if (!parsed.data.status)
    throw new ConnectorError(`the extraction failed: ${parsed.data.message ?? "no reason given"}`);
  return parsed.data;
}

/** extract.php from startExtract to its end, then its finalizeUpdate. */
async function extractAll(site: Site, password: string, log: string[]) {
  let step = await extract(site, password, { task: "startExtract" });
  for (let call = 0; !step.done; call++) {
    if (call >= MAX_CALLS)
      throw new ConnectorError(`the extraction did not end in ${MAX_CALLS} steps`);
    if (!step.instance) throw new ConnectorError("extract.php answered no engine to resume");
    step = await extract(site, password, { task: "stepExtract", instance: step.instance });
  }
  log.push(`extracted the package (${step.files ?? "?"} files)`);
  await extract(site, password, { task: "finalizeUpdate" });
}

const apiPost = async (site: Site, action: string, form: Record<string, string>) => {
  const answer = await joomlaRequest(site.target, site.options, {
    method: "POST",
    path: `/v1/panopticon/core/update/${action}`,
    auth: true,
    form,
    timeoutMs: 300_000,
  });
  if (answer.status !== 200) {
    const title = errorsOf(jsonOf(answer));
    throw new ConnectorError(
      `core/update/${action} answered HTTP ${answer.status}${title.success ? `: ${title.data.errors[0]?.title}` : ""}`,
    );
  }
};

/** Updates Joomla's core to the version its update servers offer now. */
export async function applyJoomlaCoreUpdate(target: WpTarget, options: WpOptions, slug: string) {
  const site = { target, options };
  const log: string[] = [];
  const before = await versions(site);
  if (!before.latest || compareVersions(before.latest, before.current) <= 0)
    throw new ConnectorError(`the site offers no Joomla update (it runs ${before.current})`);
  if (compareVersions(before.current, "4.0.4") < 0)
    throw new ConnectorError(
      `Joomla ${before.current} extracts updates with restore.php, which Steward does not drive: update it to 4.0.4 or later in Joomla`,
    );
  log.push(`Joomla's update servers offer ${before.latest} (the site runs ${before.current})`);
  const basename = await download(site, log);
  const { attributes: a } = await joomlaApi(
    target,
    options,
    { method: "POST", path: "/v1/panopticon/core/update/activate", form: { basename } },
    activated,
  );
  if (a.file !== basename || !a.filesize)
    throw new ConnectorError(`the downloaded package ${basename} is no longer on the site`);
  try {
    await extractAll(site, a.password, log);
  } catch (error) {
    // update.php stays usable for 90 minutes otherwise: remove it
    await apiPost(site, "disable", {}).catch(() => undefined);
    throw error;
  }
  await apiPost(site, "postupdate", { basename });
  log.push("ran Joomla's post-update code");
  const after = await versions(site);
  const ok = after.current === before.latest;
  return {
    ok,
    type: "core" as const,
    slug,
    from: before.current,
    to: after.current,
    error: ok ? null : `the site still runs Joomla ${after.current}, not ${before.latest}`,
    log,
  };
}
