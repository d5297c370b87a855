// The Joomla core update half of the Joomla fake (joomla-fake.ts), as Akeeba's Panopticon
// connector and Joomla Update's extract.php (Joomla 4.0.4 and later) answer it, in the order
// Panopticon drives them:
// - `POST v1/panopticon/core/update/download/chunked` (form: url, size, offset, chunk_index,
//   max_time; none on the first call): one chunk of the package offered per call,
//   `{basename, url, size, offset, chunk_index, done, error}`; an offset that is not the bytes
//   downloaded so far, or another URL, is an `error` (nothing offered: "Could not find a file
//   to download."). `POST …/core/update/download` downloads it in one go `{basename, check, version}`.
// - `POST …/core/update/activate` (form: basename, optional): writes update.php with a new
//   32-character password, answers `{password, filesize, file}` (filesize false when the
//   package is not downloaded, as PHP's filesize() of a missing file).
// - `POST administrator/components/com_joomlaupdate/extract.php` (form: task, password,
//   instance): `startExtract`, `stepExtract` with the `instance` the previous step answered
//   (`{status, done, files, bytesIn, bytesOut, percent, instance}`), then `finalizeUpdate`,
//   which removes update.php; no update.php, a wrong password or instance, or another task:
//   HTTP 200 `{status: false, message: "Invalid login"}` as extract.php answers.
// - `POST …/core/update/postupdate` (Joomla's own finalisation: database, caches): the site
//   runs the new version from then on; before the package is extracted and finalised, the
//   strict fake refuses it (500) rather than pretend. `POST …/core/update/disable` removes
//   update.php.
// `afterUpdate` is what the site's home page becomes with the new version (a broken page, a
// changed layout), `failExtract` the error extract.php reports instead of extracting,
// `failChunked` the chunked download's.
import { createHash, randomBytes } from "node:crypto";
import { jsonApiError } from "./joomla-fake-admintools.ts";
import type { JoomlaFakeOptions } from "./joomla-fake-types.ts";

export interface JoomlaHome {
  status: number;
  html: string;
}

export interface JoomlaCoreState {
  current: string;
  latest: string;
  /** the update package's size and the bytes one chunked download call serves */
  packageBytes: number;
  chunkBytes: number;
  /** extract.php steps before it is done */
  extractSteps: number;
  /** extract.php's error instead of extracting (a read-only folder…) */
  failExtract: string | null;
  /** the chunked download's error (a host whose cURL cannot resume: the whole download works) */
  failChunked: string | null;
  /** the home page after the update (null: unchanged) */
  afterUpdate: JoomlaHome | null;
  /** the bytes of the package downloaded to tmp/ */
  downloaded: number;
  /** update.php's password (null: no update.php) */
  password: string | null;
  /** the serialised engine extract.php answered last, and its steps left */
  instance: string | null;
  stepsLeft: number;
  extracted: boolean;
  finalised: boolean;
}

type Answer = { status: number; body: unknown; type?: string };

export const packageName = (version: string) => `Joomla_${version}-Stable-Update_Package.zip`;
export const packageUrl = (version: string) =>
  `https://downloads.joomla.org/cms/joomla5/${version.replaceAll(".", "-")}/${packageName(version)}`;

const offered = (core: JoomlaCoreState) => core.latest !== core.current;
const data = (type: string, attributes: Record<string, unknown>): Answer => ({
  status: 200,
  body: { links: {}, data: { type, id: "0", attributes: { ...attributes, id: 0 } } },
});

/** One of the connector's core update routes (`action`: after core/update/). */
export function coreUpdateCall(
  core: JoomlaCoreState,
  home: JoomlaHome,
  action: string,
  body: Record<string, unknown>,
): Answer {
  const size = core.packageBytes;
  const url = packageUrl(core.latest);
  switch (action) {
    case "download/chunked": {
      const result = { basename: false as string | false, url, size, offset: 0, chunk_index: 0 };
      if (!offered(core))
        return data("coreupdatedownloadchunked", {
          ...result,
          url: null,
          size: -1,
          done: true,
          error: "Could not find a file to download.",
        });
      const offset = Number(body.offset ?? 0);
      const index = Number(body.chunk_index ?? 0);
      const error = core.failChunked
        ? core.failChunked
        : body.url !== undefined && body.url !== url
          ? `Cannot download ${String(body.url)}`
          : offset !== (offset === 0 ? 0 : core.downloaded)
            ? `The partially downloaded file ${packageName(core.latest)} is ${core.downloaded} bytes, not ${offset}`
            : null;
      if (error) return data("coreupdatedownloadchunked", { ...result, done: true, error, offset });
      if (offset === 0) core.downloaded = 0;
      core.downloaded = Math.min(size, offset + core.chunkBytes);
      return data("coreupdatedownloadchunked", {
        ...result,
        basename: packageName(core.latest),
        offset: core.downloaded,
        chunk_index: index + 1,
        done: core.downloaded >= size,
        error: null,
      });
    }
    case "download":
      if (!offered(core)) return jsonApiError(500, "No update is available");
      core.downloaded = size;
      return data("coreupdatedownload", {
        basename: packageName(core.latest),
        check: true,
        version: core.latest,
      });
    case "activate": {
      const basename = typeof body.basename === "string" ? body.basename : packageName(core.latest);
      const whole = basename === packageName(core.latest) && core.downloaded === size;
      core.password = randomBytes(24).toString("base64url");
      Object.assign(core, { instance: null, extracted: false, finalised: false });
      return data("coreupdateactivate", {
        password: core.password,
        filesize: whole ? size : false,
        file: basename,
      });
    }
    case "disable":
      core.password = null;
      return { status: 200, body: { links: {}, data: null } };
    case "postupdate":
      if (!core.extracted || !core.finalised)
        return jsonApiError(500, "The update package has not been extracted");
      core.current = core.latest;
      Object.assign(core, { downloaded: 0, extracted: false, finalised: false });
      if (core.afterUpdate) Object.assign(home, core.afterUpdate);
      return { status: 200, body: { links: {}, data: null } };
    default:
      return jsonApiError(404, "Resource not found");
  }
}

/** extract.php's answer to one form POST. */
export function extractCall(core: JoomlaCoreState, form: URLSearchParams): Answer {
  const denied = { status: 200, body: { status: false, message: "Invalid login" } };
  const password = form.get("password")?.trim() ?? "";
  if (core.password === null || password !== core.password) return denied;
  const instance = form.get("instance");
  if (instance !== null && instance !== core.instance) return denied;
  const task = form.get("task");
  if (task === "finalizeUpdate") {
    core.password = null;
    core.finalised = core.extracted;
    return { status: 200, body: { status: true, message: null } };
  }
  if (task !== "startExtract" && task !== "stepExtract") return denied;
  if (instance === null) core.stepsLeft = core.extractSteps;
  if (core.failExtract)
    return { status: 200, body: { status: false, done: true, message: core.failExtract } };
  core.stepsLeft -= 1;
  const total = core.packageBytes;
  const read = Math.round(total * (1 - core.stepsLeft / core.extractSteps));
  const progress = { status: true, message: null, files: read >> 10, bytesIn: read };
  if (core.stepsLeft <= 0) {
    core.instance = null;
    core.extracted = true;
    return {
      status: 200,
      body: { ...progress, bytesOut: read * 3, percent: 100, done: true },
    };
  }
  core.instance = Buffer.from(
    `O:13:"ZIPExtraction":${createHash("sha1").update(`${read}${core.password}`).digest("hex")}`,
  ).toString("base64");
  return {
    status: 200,
    body: {
      ...progress,
      bytesOut: read * 3,
      percent: (100 * read) / total,
      done: false,
      instance: core.instance,
    },
  };
}

/** The default home page: a header, a paragraph and a footer (pixels for the visual check). */
export const HOME = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>A Joomla site</title></head>
<body style="margin:0;font-family:sans-serif;background:#fff">
<header style="background:#1a3867;color:#fff;padding:24px 40px;font-size:32px">A Joomla site</header>
<main style="padding:40px;font-size:18px;line-height:1.6;color:#222"><h1>Welcome</h1>
<p>This site runs Joomla. The articles of the front page are listed here.</p></main>
<footer style="position:fixed;bottom:0;width:100%;background:#eee;padding:16px 40px">Footer</footer>
</body></html>`;

/** A site's core update state before any update: `current`, `latest` offered, the package's size. */
export const newCoreState = (core: JoomlaFakeOptions["core"]): JoomlaCoreState => ({
  current: core.current,
  latest: core.latest,
  packageBytes: core.packageBytes ?? 30_000,
  chunkBytes: core.chunkBytes ?? 12_000,
  extractSteps: core.extractSteps ?? 3,
  failExtract: null,
  failChunked: null,
  afterUpdate: null,
  downloaded: 0,
  password: null,
  instance: null,
  stepsLeft: 0,
  extracted: false,
  finalised: false,
});
