// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files' own ${VAR} syntax
// The hostile values of hostile-input.test.ts for compose apps and one-click apps (issue 16):
// each option a compose file may not ask of a shared node (refused naming its key), a file
// over the limit, a YAML alias bomb, broken YAML, project names with `../`, unknown or hostile
// catalog ids, variables smuggling a host path, and node allowances that do not exist. Each is
// refused before anything is stored or sent to a node.
import { CONTROL, LONG, SQL } from "./hostile.ts";
import { badIds, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

const web = (extra: string) =>
  `services:\n  web:\n    image: localhost/steward-httpd:latest\n${extra
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;

const bomb = [
  "a: &a [x, x, x, x, x, x, x, x, x]",
  ...Array.from({ length: 8 }, (_, i) => {
    const me = String.fromCharCode(98 + i);
    return `${me}: &${me} [${Array(9)
      .fill(`*${String.fromCharCode(97 + i)}`)
      .join(", ")}]`;
  }),
  "services: { web: { image: x } }",
].join("\n");

export function composeCases(account: string, node: string, stack: string): Case[] {
  const path = "/api/v1/apps/compose";
  const add = { account, node, name: "stack", compose: web("") };
  const refused = (extra: string, field: string): Case => [
    "POST",
    path,
    { ...add, compose: web(extra) },
    400,
    V,
    `compose.services.web.${field}`,
  ];
  return [
    ...bodyCases("POST", path, add),
    ...fieldCases("POST", path, add, "name", [
      "../escape",
      "a/b",
      "-x",
      "UPPER",
      ...SQL,
      ...CONTROL,
      LONG,
    ]),
    ...fieldCases("POST", path, add, "catalog", ["../static-site", "a b", ...SQL, LONG]),
    ...fieldCases("POST", path, add, "compose", ["", "x".repeat(300 * 1024)]),
    ...fieldCases("POST", path, { ...add, ingressService: "web" }, "domain", [
      "shop.test;reboot",
      "../etc",
      "a b.test",
      "-x.test",
      ...SQL,
      ...CONTROL,
      LONG,
    ]),
    ...fieldCases("POST", path, { ...add, domain: "shop.test" }, "ingressService", [
      "web; rm -rf /",
      "../web",
      "-web",
      ...SQL,
      ...CONTROL,
      LONG,
    ]),
    // a stack served through a site needs a service publishing a TCP port
    ["POST", path, { ...add, domain: "shop.test" }, 400, V, "domain"],
    ["POST", path, { ...add, ingressService: "web" }, 400, V, "body.ingressService"],
    // a 1 MB file: over the request's body limit before the file's own
    [
      "POST",
      path,
      { ...add, compose: `${web("")}#${"x".repeat(1024 * 1024)}` },
      413,
      "PAYLOAD_TOO_LARGE",
      "body",
    ],
    ["POST", path, { account, node, name: "stack" }, 400, V, "body.compose"],
    ["POST", path, { ...add, catalog: "static-site" }, 400, V, "body.compose"],
    ["POST", path, { account, node, catalog: "no-such-app" }, 400, V, "catalog"],
    refused("privileged: true", "privileged"),
    refused("network_mode: host", "network_mode"),
    refused("pid: host", "pid"),
    refused("ipc: host", "ipc"),
    refused("userns_mode: host", "userns_mode"),
    refused("devices: ['/dev/sda:/dev/sda']", "devices"),
    refused("cap_add: [SYS_ADMIN]", "cap_add"),
    refused("security_opt: ['seccomp=unconfined']", "security_opt[0]"),
    refused("volumes: ['/:/host']", "volumes[0]"),
    refused("volumes: ['../../other-app:/data']", "volumes[0]"),
    refused("env_file: /etc/shadow", "env_file[0]"),
    refused("build: { context: /etc }", "build.context"),
    refused("container_name: other-tenant", "container_name"),
    refused("network_mode: 'container:other-tenant'", "network_mode"),
    refused("labels: { steward.app: app_other }", "labels.steward.app"),
    refused("ports: ['22:22']", "ports[0]"),
    [
      "POST",
      path,
      { ...add, compose: web('volumes: ["${DIR}:/x"]'), env: [{ key: "DIR", value: "/etc" }] },
      400,
      V,
      "compose.services.web.volumes[0]",
    ],
    [
      "POST",
      path,
      { ...add, compose: web('command: ["${UNSET}"]') },
      400,
      V,
      "compose.services.web.command[0]",
    ],
    ["POST", path, { ...add, compose: bomb }, 400, V, "compose"],
    [
      "POST",
      path,
      { ...add, compose: "services:\n  web: { image: 'x; rm -rf /' }\n" },
      400,
      V,
      "compose.services.web.image",
    ],
    [
      "POST",
      path,
      { ...add, compose: 'services:\n  "../x": { image: x }\n' },
      400,
      V,
      "compose.services.../x",
    ],
    ["POST", path, { ...add, compose: "services: [\n" }, 400, V, "compose"],
    [
      "POST",
      path,
      { ...add, compose: "name: other\nservices: {web: {image: x}}" },
      400,
      V,
      "compose.name",
    ],
    [
      "POST",
      path,
      { ...add, compose: `${web("")}volumes:\n  d: { external: true }\n` },
      400,
      V,
      "compose.volumes.d.external",
    ],
    ["POST", path, { ...add, env: [{ key: "A=B", value: "x" }] }, 400, V, "body.env.0.key"],
    [
      "PUT",
      `/api/v1/nodes/${node}/compose-allow`,
      { allow: ["everything"] },
      400,
      V,
      "body.allow.0",
    ],
    ["PUT", `/api/v1/nodes/${node}/compose-allow`, { allow: "privileged" }, 400, V, "body.allow"],
    ...([
      [
        "PUT",
        `/api/v1/apps/${stack}/compose`,
        { compose: web("privileged: true") },
        400,
        V,
        "compose.services.web.privileged",
      ],
      ["PUT", `/api/v1/apps/${stack}/compose`, { compose: bomb }, 400, V, "compose"],
      ["PUT", `/api/v1/apps/${stack}/compose`, { compose: "" }, 400, V, "body.compose"],
      ["PUT", `/api/v1/apps/${stack}/compose`, { compose: web(""), env: [] }, 400, V, "body.env"],
    ] satisfies Case[]),
    ["PUT", "/api/v1/apps/app_missing/compose", { compose: web("") }, 404, "NOT_FOUND", ""],
    ...badIds.slice(0, 2).flatMap((id): Case[] => [
      ["GET", `/api/v1/nodes/${id}/compose-allow`, undefined, 400, V, "params.id"],
      ["PUT", `/api/v1/nodes/${id}/compose-allow`, { allow: [] }, 400, V, "params.id"],
      ["PUT", `/api/v1/apps/${id}/compose`, { compose: web("") }, 400, V, "params.id"],
    ]),
  ];
}
