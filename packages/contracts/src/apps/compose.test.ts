// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose files' own ${VAR} syntax
// The compose check on its own: each forbidden option refused naming its key (and accepted
// once the node allows it), interpolation from the app's env only, YAML bombs and oversized
// files refused, and the rendered file labelled and escaped.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type ComposeAllowance, checkCompose, renderCompose, tcpPublishers } from "./compose.ts";

const good = `
services:
  web:
    image: localhost/steward-httpd:latest
    ports: ["18080:8080", "8081"]
    volumes: ["data:/data", "./files:/www/files", { type: bind, source: ./conf, target: /etc/x }]
    environment: { GREETING: "\${GREETING}", RAW: "$$HOME" }
    depends_on: [db]
  db:
    image: localhost/steward-busybox:latest
    command: ["sleep", "1000"]
volumes:
  data: {}
`;

const issuesOf = (text: string, allow: ComposeAllowance[] = [], env = {}) => {
  const r = checkCompose(text, { env, allow });
  return r.ok ? [] : r.issues;
};
const service = (body: string) =>
  `services:\n  web:\n    image: localhost/steward-httpd:latest\n${body
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n")}\n`;

describe("compose check", () => {
  it("accepts a stack and answers its services, volumes and resolved values", () => {
    const r = checkCompose(good, { env: { GREETING: "hi $there" } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.stack.services).toEqual([
      { name: "web", image: "localhost/steward-httpd:latest" },
      { name: "db", image: "localhost/steward-busybox:latest" },
    ]);
    expect(r.stack.volumes).toEqual(["data"]);
    const yaml = renderCompose(r.stack.document, "app_1");
    const back = parse(yaml);
    expect(back.services.web.environment).toEqual({ GREETING: "hi $$there", RAW: "$$HOME" });
    expect(back.services.web.labels).toEqual({ "steward.app": "app_1" });
    // the node checks the panel's rendering again: the same stack
    const again = checkCompose(renderCompose(r.stack.document), { env: {} });
    expect(again.ok && again.stack.document).toEqual(r.stack.document);
  });

  const forbidden: [string, string, ComposeAllowance | null][] = [
    ["privileged: true", "services.web.privileged", "privileged"],
    ["network_mode: host", "services.web.network_mode", "host-network"],
    ["pid: host", "services.web.pid", "host-pid"],
    ["ipc: host", "services.web.ipc", "host-ipc"],
    ["userns_mode: host", "services.web.userns_mode", "host-userns"],
    ["devices: ['/dev/sda:/dev/sda']", "services.web.devices", "devices"],
    ["cap_add: [SYS_ADMIN]", "services.web.cap_add", "cap-add"],
    ["security_opt: ['seccomp=unconfined']", "services.web.security_opt[0]", "security-unconfined"],
    [
      "security_opt: ['apparmor:unconfined']",
      "services.web.security_opt[0]",
      "security-unconfined",
    ],
    ["volumes: ['/etc:/host-etc']", "services.web.volumes[0]", "host-paths"],
    ["volumes: ['../other-app:/x']", "services.web.volumes[0]", "host-paths"],
    ["volumes: ['./a/../../b:/x']", "services.web.volumes[0]", "host-paths"],
    ["volumes: ['~/.ssh:/x']", "services.web.volumes[0]", "host-paths"],
    [
      "volumes: [{type: bind, source: /var/run/docker.sock, target: /s}]",
      "services.web.volumes[0].source",
      "host-paths",
    ],
    ["env_file: /etc/shadow", "services.web.env_file[0]", "host-paths"],
    ["build: { context: ../.. }", "services.web.build.context", "host-paths"],
    ["network_mode: 'container:other-tenant'", "services.web.network_mode", null],
    ["pid: 'container:x'", "services.web.pid", null],
    ["container_name: wordpress", "services.web.container_name", null],
    ["volumes_from: ['container:x']", "services.web.volumes_from", null],
    ["labels: { steward.app: app_other }", "services.web.labels.steward.app", null],
    [
      "logging: { driver: syslog, options: { syslog-address: 'udp://10.0.0.1:514' } }",
      "services.web.logging",
      null,
    ],
    ["security_opt: ['seccomp=/etc/profile.json']", "services.web.security_opt[0]", null],
    ["build: 'https://github.com/x/y.git'", "services.web.build", null],
    ["ports: ['80:80']", "services.web.ports[0]", null],
    ["ports: ['1.2.3.4:22:22; rm -rf /']", "services.web.ports[0]", null],
    ["cgroup_parent: /", "services.web.cgroup_parent", null],
  ];
  for (const [body, path, allowance] of forbidden)
    it(`refuses ${body} naming ${path}${allowance ? `, unless ${allowance} is allowed` : ""}`, () => {
      const issues = issuesOf(service(body));
      expect(issues.map((i) => i.path)).toContain(path);
      if (allowance) {
        expect(issues.find((i) => i.path === path)?.message).toContain(allowance);
        expect(issuesOf(service(body), [allowance])).toEqual([]);
      } else
        expect(
          issuesOf(service(body), [
            ...([
              "privileged",
              "host-network",
              "host-pid",
              "host-ipc",
              "host-userns",
              "devices",
              "cap-add",
              "security-unconfined",
              "host-paths",
            ] as const),
          ]).map((i) => i.path),
        ).toContain(path);
    });

  it("names the services a site can proxy to: those publishing a TCP port", () => {
    const checked = checkCompose(
      [
        "services:",
        '  a: { image: x, ports: ["8080"] }',
        '  b: { image: x, ports: ["127.0.0.1:9090:80"] }',
        '  c: { image: x, ports: ["5353:53/udp"] }',
        "  d: { image: x, ports: [{ target: 80 }] }",
        "  e: { image: x, ports: [{ target: 53, protocol: udp }] }",
        "  f: { image: x }",
      ].join("\n"),
      { env: {} },
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    expect(tcpPublishers(checked.stack)).toEqual(["a", "b", "d"]);
  });

  it("refuses external and renamed volumes and networks, and volume driver options", () => {
    const text = `${service("")}volumes:\n  a: { external: true }\n  b: { name: other_data }\n  c: { driver_opts: { type: none, o: bind, device: /etc } }\nnetworks:\n  n: { external: true }\n`;
    expect(issuesOf(text).map((i) => i.path)).toEqual([
      "volumes.a.external",
      "volumes.b.name",
      "volumes.c.driver_opts",
      "networks.n.external",
    ]);
  });

  it("interpolates from the app's env only, naming what is missing", () => {
    const text = service(
      'environment: { A: "${PATH}", B: "${NOPE:-fallback}", C: "${MUST:?set it}" }',
    );
    const issues = issuesOf(text);
    expect(issues.map((i) => i.message)).toEqual([
      "uses ${PATH}, which the app's environment does not define",
      "needs the variable MUST: set it",
    ]);
    expect(issues[0]?.path).toBe("services.web.environment.A");
    const r = checkCompose(text, { env: { PATH: "/x", MUST: "y" } });
    expect(r.ok && r.stack.document.services).toMatchObject({
      web: { environment: { A: "/x", B: "fallback", C: "y" } },
    });
    // a host path smuggled through a variable is checked after interpolation
    expect(issuesOf(service('volumes: ["${DIR}:/x"]'), [], { DIR: "/etc" })[0]?.path).toBe(
      "services.web.volumes[0]",
    );
  });

  it("refuses YAML bombs, oversized files, bad YAML and odd names", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 8 }, (_, i) => {
        const me = String.fromCharCode(98 + i);
        const prev = String.fromCharCode(97 + i);
        return `${me}: &${me} [${Array(9).fill(`*${prev}`).join(", ")}]`;
      }),
      "services: { web: { image: x } }",
    ].join("\n");
    expect(issuesOf(bomb)[0]?.message).toMatch(/alias/i);
    expect(issuesOf(`${service("")}# ${"x".repeat(1024 * 1024)}`)[0]?.message).toMatch(/at most/);
    expect(issuesOf("services: [\n")[0]?.message).toMatch(/not valid YAML/);
    expect(issuesOf("services:\n  web: {image: x}\n  web: {image: y}\n")[0]?.message).toMatch(
      /not valid YAML/,
    );
    expect(issuesOf("name: other-project\nservices: {web: {image: x}}")[0]?.path).toBe("name");
    for (const name of ["../x", "__proto__", "a;b", "-x", "a b", "a".repeat(200)])
      expect(issuesOf(`services:\n  "${name}": { image: x }\n`)[0]?.path).toBe(`services.${name}`);
    expect(issuesOf("services:\n  web: { image: 'x; rm -rf /' }\n")[0]?.path).toBe(
      "services.web.image",
    );
    expect(issuesOf("services: {}\n")[0]?.path).toBe("services");
  });
});
