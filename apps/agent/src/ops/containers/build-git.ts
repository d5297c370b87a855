// The git half of container.build (build.ts): the remote's host checked under the node's
// outbound policy with this node's resolver (sites/upstream.ts's) and the addresses pinned for
// git; git's -c options (https and ssh only, no hooks, no redirects, the pinned addresses, the
// deploy key named by core.sshCommand); and the remote rebuilt from its checked parts.
import type { OpInput } from "@steward/contracts/agent";
import type { GitRemote } from "@steward/contracts/apps";
import { DEFAULT_POLICY, ipText, parseIp, refuseTarget } from "@steward/contracts/net";
import type { AgentConfig } from "../../config.ts";
import { localAddresses, ownEndpoints, resolve } from "../sites/upstream.ts";
import { OpFailure } from "../types.ts";

type Input = Pick<OpInput<"container.build">, "outbound">;

/** The remote's addresses when the node's policy allows every one of them. */
export async function allowedAddresses(
  config: AgentConfig,
  remote: GitRemote,
  input: Input,
): Promise<string[]> {
  const literal = parseIp(remote.host);
  const addresses = literal ? [ipText(literal)] : await resolve(config, remote.host);
  const policy = input.outbound ?? DEFAULT_POLICY;
  const endpoints = [...policy.endpoints, ...ownEndpoints(config)];
  const target = { scheme: "https" as const, host: remote.host, port: remote.port, ip: literal };
  const why = refuseTarget({ ...policy, endpoints }, target, addresses, {
    who: "this node",
    localAddresses: localAddresses(),
  });
  if (why) throw new OpFailure("GIT_FAILED", `url: ${why}; nothing was cloned`);
  return [
    ...new Set(
      addresses.map((a) => {
        const ip = parseIp(a);
        return ip ? ipText(ip) : a;
      }),
    ),
  ];
}

const shellQuote = (s: string) => {
  if (s.includes("'")) throw new OpFailure("UNSAFE_PATH", "a path holds a quote");
  return `'${s}'`;
};

/** git's -c options: safe transports only, no hooks, no redirects, pinned addresses. */
export function gitOptions(
  config: AgentConfig,
  remote: GitRemote,
  addresses: string[],
  keyFile: string | null,
  knownHosts: string,
): string[] {
  const opts = [
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.ssh.allow=always",
    "protocol.ext.allow=never",
    "protocol.file.allow=never",
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "submodule.recurse=false",
    "http.followRedirects=false",
    "advice.detachedHead=false",
  ];
  if (remote.kind === "https") {
    const list = addresses.map((a) => (a.includes(":") ? `[${a}]` : a)).join(",");
    opts.push(`http.curloptResolve=${remote.host}:${remote.port}:${list}`);
    if (config.containers.gitCaFile) opts.push(`http.sslCAInfo=${config.containers.gitCaFile}`);
  } else {
    const ssh = [
      "ssh",
      "-F",
      "/dev/null",
      "-o",
      "BatchMode=yes",
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      "StrictHostKeyChecking=accept-new",
      "-o",
      `UserKnownHostsFile=${shellQuote(knownHosts)}`,
      "-o",
      `HostKeyAlias=${remote.host}`,
      "-o",
      `HostName=${addresses[0]}`,
      ...(keyFile ? ["-i", shellQuote(keyFile)] : []),
    ];
    opts.push(`core.sshCommand=${ssh.join(" ")}`);
  }
  return opts.flatMap((o) => ["-c", o]);
}

/**
 * The remote as git is given it, rebuilt from its checked parts: an absolute ssh path as
 * ssh://user@host:port/path, a path relative to the user's home scp-style (user@host:path).
 */
export function remoteUrl(remote: GitRemote, url: string): string {
  if (remote.kind === "https") return url;
  const host = remote.host.includes(":") ? `[${remote.host}]` : remote.host;
  return remote.path.startsWith("/")
    ? `ssh://${remote.user}@${host}:${remote.port}${remote.path}`
    : `${remote.user}@${host}:${remote.path}`;
}
