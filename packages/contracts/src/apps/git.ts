// A git source of an app (docs/apps.md, "From a git repository"), validated the same way on
// the panel, in the CLI and on the agent before git is run. Only two kinds of remote exist:
// https://host[:port]/path (a token, sealed, sent to git in its environment) and ssh
// (ssh://[user@]host[:port]/path or scp-style user@host:path, with the app's deploy key).
// Everything else git would accept is refused: transports that run programs or read the
// node's files (ext::, fd::, file://, local paths), user info and options in disguise (a
// leading "-", --upload-pack=), and refs that `git check-ref-format` refuses.
import { z } from "zod";
import { noControl } from "../validators.ts";

export interface GitRemote {
  kind: "https" | "ssh";
  /** lowercase, IPv6 without brackets */
  host: string;
  port: number;
  /** ssh only: the user (git when absent) */
  user: string | null;
  /** absolute ("/srv/shop.git": https, ssh://) or relative to the ssh user's home (scp-style) */
  path: string;
}

const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;
const PATH = /^[A-Za-z0-9._~+/-]+$/;
const USER = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/;

function checkPath(path: string): string | null {
  if (!PATH.test(path)) return "the repository path may hold letters, digits and . _ ~ + / - only";
  if (path.split("/").some((seg) => seg === "." || seg === ".."))
    return "the repository path must not contain . or .. segments";
  if (path.split("/").some((seg) => seg.startsWith("-")))
    return "no part of the repository path may start with -";
  return null;
}

function checkHost(raw: string): { host: string } | string {
  if (!HOST.test(raw)) return `${raw.slice(0, 60)} is not a host name or address`;
  const host = raw.replace(/^\[|\]$/g, "").toLowerCase();
  if (host.includes("..")) return `${raw.slice(0, 60)} is not a host name or address`;
  return { host };
}

/** The remote of a git URL, or why it is not one Steward clones (a phrase for the field). */
export function parseGitUrl(url: string): GitRemote | string {
  if (!noControl(url) || /\s/.test(url)) return "must not contain spaces or control characters";
  if (url.length > 500) return "must be at most 500 characters";
  if (url.startsWith("-")) return "must not start with - (it would be an option of git)";
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url))
    return "must be an https:// or ssh URL (git's transport helpers like ext:: and fd:: are refused)";
  if (/^file:/i.test(url) || url.startsWith("/") || url.startsWith(".") || url.startsWith("~"))
    return "must be a remote repository (https:// or ssh), not a path on the node";
  const https = /^https:\/\/([^/?#@]+)(\/[^?#]*)$/.exec(url);
  if (https) {
    const [, authority = "", path = ""] = https;
    const m = /^(\[[^\]]+\]|[^:]+)(?::([0-9]{1,5}))?$/.exec(authority);
    if (!m) return "must be https://host[:port]/path";
    const h = checkHost(m[1] ?? "");
    if (typeof h === "string") return h;
    const port = m[2] ? Number(m[2]) : 443;
    if (port < 1 || port > 65535) return "the port must be between 1 and 65535";
    const bad = checkPath(path.slice(1));
    if (bad) return bad;
    return { kind: "https", host: h.host, port, user: null, path };
  }
  if (/^https?:\/\/[^/]*@/i.test(url))
    return "must not carry a user name or token: give the token in its own field";
  if (/^[a-z]+:\/\//i.test(url) && !/^ssh:\/\//i.test(url)) return "must be an https:// or ssh URL";
  const ssh = /^ssh:\/\/(?:([^@/]+)@)?([^/]+?)(?::([0-9]{1,5}))?(\/.*)$/.exec(url);
  const scp = ssh ? null : /^([^@/:]+)@([^/:]+):(.+)$/.exec(url);
  const parts = ssh
    ? { user: ssh[1], host: ssh[2] ?? "", port: ssh[3], path: ssh[4] ?? "" }
    : scp
      ? { user: scp[1], host: scp[2] ?? "", port: undefined, path: scp[3] ?? "" }
      : null;
  if (!parts) return "must be https://host/path, ssh://user@host/path or user@host:path";
  if (parts.user !== undefined && !USER.test(parts.user))
    return "the ssh user may hold letters, digits and . _ - only, not starting with - or .";
  const h = checkHost(parts.host);
  if (typeof h === "string") return h;
  const port = parts.port ? Number(parts.port) : 22;
  if (port < 1 || port > 65535) return "the port must be between 1 and 65535";
  const bad = checkPath(ssh ? parts.path.slice(1) : parts.path);
  if (bad) return bad;
  return { kind: "ssh", host: h.host, port, user: parts.user ?? "git", path: parts.path };
}

export const gitUrl = z
  .string()
  .min(1, "must not be empty")
  .superRefine((url, ctx) => {
    const r = parseGitUrl(url);
    if (typeof r === "string") ctx.addIssue({ code: "custom", message: r });
  });

/**
 * Why `ref` is not a branch, tag or commit Steward checks out, or null: `git check-ref-format`'s
 * rules (no "..", "@{", control characters, space ~ ^ : ? * [ \, no component starting with
 * "." or ending with ".lock", not ending with "/" or ".", not "@"), no leading "-", and
 * Steward's narrower alphabet (letters, digits and . _ / + @ -).
 */
export function refProblem(ref: string): string | null {
  if (ref.length === 0) return "must not be empty";
  if (ref.length > 200) return "must be at most 200 characters";
  if (ref.startsWith("-")) return "must not start with - (it would be an option of git)";
  if (!noControl(ref) || /[\s~^:?*[\\]/.test(ref))
    return "must not contain spaces, control characters or ~ ^ : ? * [ \\";
  if (ref.includes("..")) return "must not contain ..";
  if (!/^[A-Za-z0-9._/+@-]+$/.test(ref)) return "may hold letters, digits and . _ / + @ - only";
  if (ref.includes("@{")) return "must not contain @{";
  if (ref === "@") return "must not be @";
  if (ref.startsWith("/") || ref.endsWith("/") || ref.includes("//"))
    return "must not start or end with / or contain //";
  if (ref.endsWith(".")) return "must not end with .";
  for (const c of ref.split("/")) {
    if (c.startsWith(".")) return "no part may start with .";
    if (c.endsWith(".lock")) return "no part may end with .lock";
  }
  return null;
}

export const gitRef = z.string().superRefine((ref, ctx) => {
  const why = refProblem(ref);
  if (why) ctx.addIssue({ code: "custom", message: why });
});

/** A full commit id: what a deploy pins and records. */
export const commitPattern = /^[0-9a-f]{40}$/;

/** A personal access token or deploy token (HTTPS remotes only). */
export const gitToken = z
  .string()
  .min(1, "must not be empty")
  .max(500, "must be at most 500 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable characters without spaces");

/** A file's path inside the repository: relative, no . or .. segment, not starting with - */
export const repoFilePath = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/, "must be a relative path in the repository")
  .refine((p) => p.split("/").every((s) => s !== ".." && s !== "."), "must not contain . or ..");

/** The Dockerfile's path inside the repository. */
export const dockerfilePath = repoFilePath;

/** The compose file's path inside the repository (a git app that is a compose stack). */
export const composeFilePath = repoFilePath;

/** An app's git source as answered. */
export const appGitSource = z.object({
  url: z.string(),
  ref: z.string(),
  /** the Dockerfile built; null for a compose stack */
  dockerfile: z.string().nullable(),
  /** the compose file brought up (its services with `build:` built first); null: a Dockerfile */
  compose: z.string().nullable(),
  /** token (https), key (ssh with the app's deploy key) or none */
  auth: z.enum(["token", "key", "none"]),
  /** ssh: the deploy key to add (read-only) to the repository */
  publicKey: z.string().nullable(),
  /** the commit the app runs */
  lastCommit: z.string().nullable(),
  /** where the repository's host posts pushes */
  webhookUrl: z.string(),
});
