// The hostile values of hostile-input.test.ts for the apps API (issue 16): image names with
// spaces, `;`, `--` and shell or path tricks, env keys with `=` or newlines, ports 0, 65536
// and 22, volumes leaving the app's directory, names with `../`, health checks with control
// characters, bad ids, prune targets that are no booleans, and the list's filters and pages. Each is refused by the contract
// before anything is written or sent to a node.
import { CONTROL, enc, LONG, SQL } from "./hostile.ts";
import { badIds, badPages, bodyCases, type Case, fieldCases, V } from "./hostile-cases.ts";

export function appCases(account: string, node: string): Case[] {
  const list = "/api/v1/apps";
  const add = { account, node, image: "localhost/steward-httpd:latest" };
  const nested = (field: string, value: Record<string, unknown>, at: string): Case => [
    "POST",
    list,
    { ...add, ...value },
    400,
    V,
    `body.${field}${at}`,
  ];
  return [
    ...bodyCases("POST", list, add),
    ...fieldCases("POST", list, add, "account", [SQL[0], "../x", null]),
    ["POST", list, { ...add, account: "acc_missing" }, 400, V, "account"],
    ...fieldCases("POST", list, add, "image", [
      "busy box:latest",
      "busybox; rm -rf /",
      "busybox --privileged",
      "--privileged",
      "-v",
      "busybox`id`",
      "$(id)",
      "../../etc/passwd",
      "Busybox",
      "busybox@sha256:abc",
      ...SQL,
      ...CONTROL,
      LONG,
      "",
      null,
    ]),
    ...fieldCases("POST", list, add, "name", [
      "../escape",
      "a/b",
      "-x",
      "UPPER",
      "x".repeat(49),
      ...SQL,
      ...CONTROL,
    ]),
    ...fieldCases("POST", list, add, "restart", ["sometimes", "always; id"]),
    nested("env", { env: [{ key: "A=B", value: "x" }] }, ".0.key"),
    nested("env", { env: [{ key: "A\nB", value: "x" }] }, ".0.key"),
    nested("env", { env: [{ key: "1A", value: "x" }] }, ".0.key"),
    nested("env", { env: [{ key: "", value: "x" }] }, ".0.key"),
    nested("env", { env: [{ key: "A", value: "a\u0000b" }] }, ".0.value"),
    nested("ports", { ports: [{ container: 0 }] }, ".0.container"),
    nested("ports", { ports: [{ container: 65536 }] }, ".0.container"),
    nested("ports", { ports: [{ container: 80, host: 22 }] }, ".0.host"),
    nested("ports", { ports: [{ container: 80, host: 65536 }] }, ".0.host"),
    nested("ports", { ports: [{ container: 80, protocol: "sctp" }] }, ".0.protocol"),
    nested("volumes", { volumes: [{ source: "../etc", target: "/data" }] }, ".0.source"),
    nested("volumes", { volumes: [{ source: "..", target: "/data" }] }, ".0.source"),
    nested("volumes", { volumes: [{ source: "/etc", target: "/data" }] }, ".0.source"),
    nested("volumes", { volumes: [{ source: "data", target: "data" }] }, ".0.target"),
    nested("volumes", { volumes: [{ source: "data", target: "/data/../../etc" }] }, ".0.target"),
    nested("volumes", { volumes: [{ source: "data", target: "/a b" }] }, ".0.target"),
    nested("healthCheck", { healthCheck: { command: ["wget\nx"] } }, ".command.0"),
    nested("healthCheck", { healthCheck: { command: [] } }, ".command"),
    nested("command", { command: ["sh", "a\u0000b"] }, ".1"),
    nested("limits", { limits: { memoryMb: 0 } }, ".memoryMb"),
    nested("limits", { limits: { cpus: -1 } }, ".cpus"),
    // the list's filters and pages
    ...[
      ...["account", "node"].flatMap((name) =>
        [...SQL, "../x", "a\nb", "x".repeat(300)].map((value) => [`${name}=${enc(value)}`, name]),
      ),
      ...["up", "RUNNING", "running'; --", ""].map((value) => [`status=${enc(value)}`, "status"]),
      ...["docker", "git;", "select"].map((value) => [`source=${enc(value)}`, "source"]),
      ...[...CONTROL, "x".repeat(101)].map((value) => [`q=${enc(value)}`, "q"]),
      ...badPages.map(([q = "", field = ""]) => [q, field.replace("querystring.", "")]),
    ].map(([q, field]): Case => ["GET", `${list}?${q}`, undefined, 400, V, `querystring.${field}`]),
    ...badIds
      .slice(0, 2)
      .flatMap((id): Case[] => [
        ["GET", `${list}/${id}`, undefined, 400, V, "params.id"],
        ["POST", `${list}/${id}/deploy`, undefined, 400, V, "params.id"],
        ...["start", "stop", "restart"].map(
          (verb): Case => ["POST", `${list}/${id}/${verb}`, undefined, 400, V, "params.id"],
        ),
        ["DELETE", `${list}/${id}`, undefined, 400, V, "params.id"],
        ["GET", `${list}/${id}/logs`, undefined, 400, V, "params.id"],
        ["GET", `${list}/${id}/stats`, undefined, 400, V, "params.id"],
        ["GET", `/api/v1/nodes/${id}/containers`, undefined, 400, V, "params.id"],
        ["GET", `/api/v1/nodes/${id}/disk-usage`, undefined, 400, V, "params.id"],
        ["POST", `/api/v1/nodes/${id}/prune`, {}, 400, V, "params.id"],
      ]),
    ["DELETE", `${list}/app_missing?volumes=maybe`, undefined, 400, V, "querystring.volumes"],
    ["GET", `${list}/app_missing/logs?tail=0`, undefined, 400, V, "querystring.tail"],
    [
      "GET",
      `${list}/app_missing/logs?filter=${"x".repeat(201)}`,
      undefined,
      400,
      V,
      "querystring.filter",
    ],
    ["POST", `/api/v1/nodes/${node}/prune`, { images: "yes" }, 400, V, "body.images"],
    ["POST", `/api/v1/nodes/${node}/prune`, { everything: true }, 400, V, "body.everything"],
    ["GET", `${list}/app_missing`, undefined, 404, "NOT_FOUND", ""],
    ["POST", `${list}/app_missing/stop`, undefined, 404, "NOT_FOUND", ""],
    ["DELETE", `${list}/app_missing`, undefined, 404, "NOT_FOUND", ""],
  ];
}
