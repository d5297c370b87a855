// docker-compose on the node (compose stacks, docs/apps.md): the binary from agent.json
// (`containers.compose`), run by argv with DOCKER_HOST pointing at the engine's socket and
// nothing else of the agent's environment; the project named after the app, its file at
// <appsRoot>/<app id>/compose.yml (relative paths of the file resolve from that directory).
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { AgentConfig } from "../../config.ts";
import { type ExecResult, type OpContext, OpFailure } from "../types.ts";

export const COMPOSE_FILE = "compose.yml";

export const appDir = (config: AgentConfig, appId: string) =>
  join(config.containers.appsRoot, appId);
export const composeFile = (config: AgentConfig, appId: string) =>
  join(appDir(config, appId), COMPOSE_FILE);

/** Throws ENGINE_UNAVAILABLE saying how to install docker-compose when the node lacks it. */
export async function requireCompose(config: AgentConfig): Promise<string> {
  const bin = config.containers.compose;
  try {
    await access(bin, constants.X_OK);
    return bin;
  } catch {
    throw new OpFailure(
      "ENGINE_UNAVAILABLE",
      `docker-compose is not installed on this node (${bin}): install it (apt-get install docker-compose) or set containers.compose in agent.json`,
    );
  }
}

/** `docker-compose -p <project> -f <file> --project-directory <dir> <args…>` as a step. */
export async function compose(
  ctx: OpContext,
  step: string,
  o: { appId: string; project: string },
  args: string[],
  timeoutMs = 10 * 60_000,
): Promise<ExecResult> {
  const bin = await requireCompose(ctx.config);
  const dir = appDir(ctx.config, o.appId);
  return ctx.exec(
    step,
    [
      bin,
      "--ansi",
      "never",
      "-p",
      o.project,
      "-f",
      composeFile(ctx.config, o.appId),
      "--project-directory",
      dir,
      ...args,
    ],
    {
      cwd: dir,
      timeoutMs,
      env: {
        DOCKER_HOST: `unix://${ctx.config.containers.socket}`,
        COMPOSE_HTTP_TIMEOUT: "300",
      },
    },
  );
}
