// What a compose file may ask of a shared node. Keys are an allow-list (a key Steward does not
// know is refused, not passed through); what reaches past the app's own sandbox is refused
// unless a super user allowed it on the node (`ComposeAllowance`): privileged mode, the host's
// network, pid, ipc or user namespace, devices, added capabilities, unconfined security
// options, host paths outside the app's directory (bind mounts, env files, build contexts,
// file-backed configs and secrets, volume driver options). What could reach another tenant's
// containers, names or volumes is refused always: `container:` namespaces, `container_name`,
// external volumes and networks, custom volume/network names, `steward.*` labels.

import { noControl } from "../validators.ts";
import { COMPOSE_ALLOWANCES, type ComposeAllowance, SERVICE_KEYS } from "./compose-keys.ts";
import type { ComposeIssue } from "./compose-parse.ts";
import { imageRefPattern } from "./names.ts";

export { COMPOSE_ALLOWANCES, type ComposeAllowance };

export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const PORT =
  /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d{1,5}(?:-\d{1,5})?)?:)?(\d{1,5}(?:-\d{1,5})?)(?:\/(tcp|udp|sctp))?$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * Whether a service's `ports` publish a TCP port on the host (a site's upstream can be one):
 * any entry does, "8080" on a port the engine picks, unless it names another protocol.
 */
export function publishesTcp(ports: unknown): boolean {
  return list(ports).some((p) =>
    isObject(p) ? (p.protocol ?? "tcp") === "tcp" : (PORT.exec(String(p))?.[3] ?? "tcp") === "tcp",
  );
}

/** A relative path that never climbs above its start (`a/../b` does not, `a/../../b` does). */
function staysInside(p: string): boolean {
  let depth = 0;
  for (const seg of p.split("/")) {
    if (seg === "..") depth--;
    else if (seg !== "" && seg !== ".") depth++;
    if (depth < 0) return false;
  }
  return true;
}

export class Checker {
  readonly issues: ComposeIssue[] = [];
  private readonly allow: ReadonlySet<ComposeAllowance>;
  private readonly services: ReadonlySet<string>;
  constructor(allow: ReadonlySet<ComposeAllowance>, services: ReadonlySet<string>) {
    this.allow = allow;
    this.services = services;
  }

  refuse(path: string, message: string) {
    this.issues.push({ path, message });
  }

  needs(path: string, what: ComposeAllowance, message: string) {
    if (!this.allow.has(what))
      this.refuse(path, `${message}: refused unless a super user allows "${what}" on the node`);
  }

  /** A path on the node: relative, inside the app's directory (or any, with host-paths). */
  hostPath(path: string, p: unknown) {
    if (typeof p !== "string" || !p) return this.refuse(path, "must be a path");
    if (!noControl(p)) return this.refuse(path, "must not contain control characters");
    const inside = !p.startsWith("/") && !p.startsWith("~") && staysInside(p);
    if (!inside) this.needs(path, "host-paths", `${p.slice(0, 80)} is outside the app's directory`);
  }

  service(name: string, s: unknown) {
    const at = `services.${name}`;
    if (!SERVICE_NAME.test(name))
      return this.refuse(at, "service names are letters, digits, . _ - (at most 63)");
    if (!isObject(s)) return this.refuse(at, "must be a mapping");
    for (const key of Object.keys(s))
      if (!SERVICE_KEYS.has(key) && !key.startsWith("x-"))
        this.refuse(
          `${at}.${key}`,
          key === "container_name"
            ? "is refused: containers are named <project>_<service>_<n> so that apps never collide"
            : "is not a key Steward accepts",
        );
    if (s.image === undefined && s.build === undefined)
      this.refuse(at, "needs an image or a build");
    if (s.image !== undefined && (typeof s.image !== "string" || !imageRefPattern.test(s.image)))
      this.refuse(`${at}.image`, "must be an image like name:tag or name@sha256:<digest>");
    if (s.privileged === true) this.needs(`${at}.privileged`, "privileged", "privileged mode");
    this.namespace(`${at}.network_mode`, s.network_mode, "host-network", [
      "bridge",
      "none",
      "default",
    ]);
    this.namespace(`${at}.pid`, s.pid, "host-pid", []);
    this.namespace(`${at}.ipc`, s.ipc, "host-ipc", ["private", "shareable", "none"]);
    if (s.userns_mode !== undefined) {
      if (s.userns_mode === "host")
        this.needs(`${at}.userns_mode`, "host-userns", "the host's user namespace");
      else this.refuse(`${at}.userns_mode`, "may only be host");
    }
    if (list(s.devices).length) this.needs(`${at}.devices`, "devices", "device mounts");
    if (list(s.cap_add).length) this.needs(`${at}.cap_add`, "cap-add", "added capabilities");
    for (const [i, o] of list(s.security_opt).entries()) {
      const opt = String(o);
      if (/^no-new-privileges(?:[:=]true)?$/.test(opt)) continue;
      if (/unconfined|^label[:=]disable$/.test(opt))
        this.needs(`${at}.security_opt[${i}]`, "security-unconfined", `${opt.slice(0, 60)}`);
      else
        this.refuse(
          `${at}.security_opt[${i}]`,
          "may only be no-new-privileges or an unconfined option",
        );
    }
    for (const [i, v] of list(s.volumes).entries()) this.mount(`${at}.volumes[${i}]`, v);
    for (const [i, f] of list(s.env_file).entries())
      this.hostPath(`${at}.env_file[${i}]`, isObject(f) ? f.path : f);
    if (s.build !== undefined) this.build(`${at}.build`, s.build);
    for (const [i, p] of list(s.ports).entries()) this.port(`${at}.ports[${i}]`, p);
    this.labels(`${at}.labels`, s.labels);
    const reservations = (s.deploy as { resources?: { reservations?: { devices?: unknown } } })
      ?.resources?.reservations;
    if (list(reservations?.devices).length)
      this.needs(`${at}.deploy.resources.reservations.devices`, "devices", "device reservations");
  }

  /** network_mode, pid, ipc: `host` with its allowance, `service:<one of this file>`, or `ok` */
  private namespace(path: string, v: unknown, what: ComposeAllowance, ok: string[]) {
    if (v === undefined) return;
    const value = String(v);
    if (value === "host") return this.needs(path, what, "the host's namespace");
    if (ok.includes(value)) return;
    const svc = /^service:(.+)$/.exec(value)?.[1];
    if (svc && this.services.has(svc)) return;
    this.refuse(path, `may be host, ${[...ok, "service:<a service of this file>"].join(", ")}`);
  }

  private mount(path: string, v: unknown) {
    if (typeof v === "string") {
      const parts = v.split(":");
      if (parts.length === 1) return; // an anonymous volume at a container path
      const source = parts[0] ?? "";
      if (/^[./~]/.test(source)) return this.hostPath(path, source);
      if (!VOLUME_NAME.test(source)) return this.refuse(path, "names a volume that is not valid");
      return;
    }
    if (!isObject(v)) return this.refuse(path, "must be a string or a mapping");
    const type = v.type ?? "volume";
    if (type === "bind") {
      this.hostPath(`${path}.source`, v.source);
      const propagation = (v.bind as { propagation?: unknown } | undefined)?.propagation;
      if (propagation !== undefined && !["private", "rprivate"].includes(String(propagation)))
        this.refuse(`${path}.bind.propagation`, "may only be private or rprivate");
    } else if (type === "volume") {
      if (v.source !== undefined && !VOLUME_NAME.test(String(v.source)))
        this.refuse(`${path}.source`, "names a volume that is not valid");
    } else if (type !== "tmpfs") this.refuse(`${path}.type`, "may be volume, bind or tmpfs");
  }

  private build(path: string, b: unknown) {
    const context = isObject(b) ? b.context : b;
    if (typeof context === "string" && /:\/\/|^git@|^github\.com\//.test(context))
      return this.refuse(
        `${path}${isObject(b) ? ".context" : ""}`,
        "must be a directory, not a URL",
      );
    this.hostPath(isObject(b) ? `${path}.context` : path, context ?? ".");
    if (isObject(b) && b.dockerfile !== undefined)
      this.hostPath(`${path}.dockerfile`, b.dockerfile);
  }

  private port(path: string, p: unknown) {
    const published = isObject(p) ? p.published : PORT.exec(String(p))?.[1];
    if (!isObject(p) && !PORT.test(String(p)))
      return this.refuse(path, "must be [host-ip:][host-port:]container-port[/protocol]");
    if (published === undefined || published === "") return;
    for (const n of String(published).split("-").map(Number))
      if (!Number.isInteger(n) || n < 1024 || n > 65535)
        return this.refuse(path, "publishes a host port outside 1024-65535");
  }

  labels(path: string, labels: unknown) {
    const keys = Array.isArray(labels)
      ? labels.map((l) => String(l).split("=")[0] ?? "")
      : isObject(labels)
        ? Object.keys(labels)
        : [];
    for (const k of keys)
      if (/^(steward\.|com\.docker\.compose\.|io\.podman\.)/.test(k))
        this.refuse(`${path}.${k}`, "is a label Steward or the engine sets");
  }

  /** Top-level volumes and networks: no external ones, no custom names, no driver options. */
  resource(kind: "volumes" | "networks", name: string, v: unknown) {
    const at = `${kind}.${name}`;
    if (!VOLUME_NAME.test(name)) return this.refuse(at, "names are letters, digits, . _ -");
    if (v === null || v === undefined) return;
    if (!isObject(v)) return this.refuse(at, "must be a mapping");
    for (const key of Object.keys(v)) {
      if (key === "external" || key === "name")
        this.refuse(
          `${at}.${key}`,
          `is refused: an app's ${kind} are its own, named after its project`,
        );
      else if (key === "driver_opts") this.needs(`${at}.${key}`, "host-paths", "driver options");
      else if (key === "driver") {
        const ok = kind === "volumes" ? ["local"] : ["bridge"];
        if (!ok.includes(String(v.driver))) this.refuse(`${at}.driver`, `may only be ${ok[0]}`);
      } else if (!["labels", "internal", "attachable"].includes(key) && !key.startsWith("x-"))
        this.refuse(`${at}.${key}`, "is not a key Steward accepts");
    }
  }

  /** Top-level configs and secrets: a file inside the app's directory or an environment value. */
  fileResource(kind: "configs" | "secrets", name: string, v: unknown) {
    const at = `${kind}.${name}`;
    if (!isObject(v)) return this.refuse(at, "must be a mapping");
    if (v.external !== undefined || v.name !== undefined)
      this.refuse(at, "must not be external or renamed");
    if (v.file !== undefined) this.hostPath(`${at}.file`, v.file);
    else if (v.environment === undefined)
      this.refuse(at, "needs a file or an environment variable");
  }
}
