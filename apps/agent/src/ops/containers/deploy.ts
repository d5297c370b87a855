// container.deploy: an app's container from a local image. The name is the one asked for, or
// name-2, name-3... when another container has it; host ports are chosen free (ports.ts);
// volumes are directories of the app's own directory; everything goes to the engine as JSON
// (Env as KEY=value items, the health check as an argv). Names and ports are chosen and the
// container created under one lock, so two deploys on a node never pick the same. A
// container that does not become healthy in time is removed again (the rollback).
import { join } from "node:path";
import type { OpInput, OpOutput } from "@steward/contracts/agent";
import { appNamePattern, envKeyPattern, imageRefPattern } from "@steward/contracts/apps";
import { KeyedLock } from "../lock.ts";
import { type OpContext, OpFailure, type OpHandler } from "../types.ts";
import { type Engine, engineMessage, engineOf, expectStatus, q } from "./engine.ts";
import { APP_LABEL, DEPLOYMENT_LABEL, infoOf, listContainers } from "./list.ts";
import { choosePorts } from "./ports.ts";
import { waitReady } from "./wait.ts";

type Input = OpInput<"container.deploy">;

const lock = new KeyedLock();
const NS = 1_000_000_000;

/** The agent's second wall: what becomes an engine call is checked again here. */
function recheck(input: Input) {
  const bad = (what: string) => {
    throw new OpFailure("OP_INPUT_INVALID", `${what} is not valid`);
  };
  if (!appNamePattern.test(input.name)) bad("name");
  if (!imageRefPattern.test(input.spec.image)) bad("image");
  for (const key of Object.keys(input.spec.env))
    if (!envKeyPattern.test(key)) bad(`env key ${JSON.stringify(key)}`);
}

/** The asked name when free, else the first free name-N. */
export function freeName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

async function ensureImage(ctx: OpContext, engine: Engine, image: string) {
  const found = await engine.call("GET", `/images/${encodeURIComponent(image)}/json`);
  if (found.status === 200) return;
  if (found.status !== 404) expectStatus(found, `look up image ${image}`);
  await ctx.step(`pull ${image}`, async () => {
    const digest = image.includes("@");
    const [name, tag] = digest ? [image, undefined] : splitTag(image);
    const a = await engine.call(
      "POST",
      `/images/create?${q({ fromImage: name, tag })}`,
      undefined,
      600_000,
    );
    expectStatus(a, `pull ${image}`, [200]);
    const again = await engine.call("GET", `/images/${encodeURIComponent(image)}/json`);
    if (again.status !== 200)
      throw new OpFailure(
        "ENGINE_REFUSED",
        `pull ${image}: the image is still missing (${engineMessage(a)})`,
      );
  });
}

function splitTag(image: string): [string, string] {
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  return colon > slash ? [image.slice(0, colon), image.slice(colon + 1)] : [image, "latest"];
}

function createBody(
  input: Input,
  ports: { container: number; host: number; protocol: string }[],
  binds: string[],
) {
  const { spec } = input;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostPort: string }[]> = {};
  for (const p of ports) {
    const key = `${p.container}/${p.protocol}`;
    exposed[key] = {};
    bindings[key] = [...(bindings[key] ?? []), { HostPort: String(p.host) }];
  }
  const hc = spec.healthCheck;
  return {
    Image: spec.image,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ...(spec.command ? { Cmd: spec.command } : {}),
    Labels: { [APP_LABEL]: input.appId, [DEPLOYMENT_LABEL]: input.deploymentId },
    ExposedPorts: exposed,
    ...(hc
      ? {
          Healthcheck: {
            Test: ["CMD", ...hc.command],
            Interval: hc.intervalSeconds * NS,
            Timeout: hc.timeoutSeconds * NS,
            Retries: hc.retries,
            StartPeriod: hc.startSeconds * NS,
          },
        }
      : {}),
    HostConfig: {
      PortBindings: bindings,
      Binds: binds,
      RestartPolicy: {
        Name: spec.restart === "no" ? "" : spec.restart,
        ...(spec.restart === "on-failure" ? { MaximumRetryCount: 5 } : {}),
      },
      ...(spec.limits.memoryMb ? { Memory: spec.limits.memoryMb * 1024 * 1024 } : {}),
      ...(spec.limits.cpus ? { NanoCpus: Math.round(spec.limits.cpus * NS) } : {}),
    },
  };
}

export const containerDeploy: OpHandler<"container.deploy"> = {
  name: "container.deploy",
  async run(ctx, input): Promise<OpOutput<"container.deploy">> {
    recheck(input);
    const engine = engineOf(ctx.config);
    const c = ctx.config.containers;
    const appDir = join(c.appsRoot, input.appId);
    const binds: string[] = [];
    await ctx.phase("stage", async () => {
      await ensureImage(ctx, engine, input.spec.image);
      for (const v of input.spec.volumes) {
        const source = join(appDir, v.source);
        await ctx.mkdir(source, { mode: 0o755 });
        binds.push(`${source}:${v.target}${v.readOnly ? ":ro" : ""}`);
      }
    });
    const id = await ctx.phase("activate", () =>
      lock.run(
        "engine",
        async () => {
          // one list for the name and the ports: on a node of 200 apps, each is seconds
          const listed = await listContainers(engine);
          const taken = new Set(
            listed.flatMap((x) => (x.Names ?? []).map((n) => n.replace(/^\//, ""))),
          );
          const ports = await ctx.step("choose host ports", () =>
            choosePorts(engine, listed, input.spec.ports, c.portRange),
          );
          for (const p of ports)
            ctx.log("info", `port ${p.container}/${p.protocol} -> host ${p.host}`);
          for (;;) {
            const name = freeName(input.name, taken);
            const a = await ctx.step(`create container ${name}`, () =>
              engine.call(
                "POST",
                `/containers/create?${q({ name })}`,
                createBody(input, ports, binds),
              ),
            );
            if (a.status === 409) {
              taken.add(name); // created by someone else meanwhile: the next suffix
              continue;
            }
            const created = expectStatus(a, `create container ${name}`, [201]) as { Id: string };
            ctx.changed();
            ctx.onRollback(`remove container ${name}`, async () => {
              await engine.call(
                "DELETE",
                `/containers/${encodeURIComponent(created.Id)}?${q({ force: 1, v: 1 })}`,
              );
            });
            const started = await ctx.step(`start container ${name}`, () =>
              engine.call("POST", `/containers/${encodeURIComponent(created.Id)}/start`),
            );
            expectStatus(started, `start container ${name}`, [204, 304]);
            return created.Id;
          }
        },
        ctx.signal,
      ),
    );
    await ctx.phase("verify", () =>
      ctx.step(input.spec.healthCheck ? "wait until healthy" : "wait until running", () =>
        waitReady(ctx, engine, id, input.waitSeconds * 1000, Boolean(input.spec.healthCheck)),
      ),
    );
    const [listed] = (await listContainers(engine)).filter((x) => x.Id === id);
    if (!listed) throw new OpFailure("NOT_RUNNING", "the container disappeared after it started");
    return {
      container: { ...infoOf(listed), health: input.spec.healthCheck ? "healthy" : null },
      imageId: listed.ImageID ?? null,
    };
  },
};
