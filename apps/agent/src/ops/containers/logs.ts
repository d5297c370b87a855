// container.logs: the last lines of each of an app's containers (since a time), merged in time
// order. Without a TTY the engine answers a multiplexed stream: frames of an 8-byte header
// (stream 1 stdout / 2 stderr, 3 zero bytes, a big-endian length) then the bytes.
import type { OpOutput } from "@steward/contracts/agent";
import type { OpHandler } from "../types.ts";
import { engineOf, expectStatus, q } from "./engine.ts";
import { listContainers } from "./list.ts";

type Line = OpOutput<"container.logs">["lines"][number];

export function demultiplex(data: Buffer, container: string): Line[] {
  const lines: Line[] = [];
  let at = 0;
  const push = (stream: "stdout" | "stderr", chunk: string) => {
    for (const raw of chunk.split("\n")) {
      if (!raw) continue;
      const space = raw.indexOf(" ");
      const stamp = space > 0 ? raw.slice(0, space) : "";
      const ok = /^\d{4}-\d\d-\d\dT/.test(stamp);
      lines.push({
        container,
        stream,
        at: ok ? stamp : "",
        text: (ok ? raw.slice(space + 1) : raw).slice(0, 4096),
      });
    }
  };
  const framed =
    data.length >= 8 && (data[0] === 1 || data[0] === 2) && data[1] === 0 && data[2] === 0;
  if (!framed) {
    push("stdout", data.toString("utf8"));
    return lines;
  }
  while (at + 8 <= data.length) {
    const stream = data[at] === 2 ? "stderr" : "stdout";
    const size = data.readUInt32BE(at + 4);
    push(stream, data.subarray(at + 8, at + 8 + size).toString("utf8"));
    at += 8 + size;
  }
  return lines;
}

export const containerLogs: OpHandler<"container.logs"> = {
  name: "container.logs",
  async run(ctx, input): Promise<OpOutput<"container.logs">> {
    const engine = engineOf(ctx.config);
    const containers = await listContainers(engine, input.appId);
    const lines: Line[] = [];
    for (const c of containers) {
      const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
      const params = q({
        stdout: 1,
        stderr: 1,
        timestamps: 1,
        tail: input.tail,
        since: input.since || undefined,
      });
      const r = await engine.raw(`/containers/${encodeURIComponent(c.Id)}/logs?${params}`);
      if (r.status === 404) continue;
      expectStatus(
        { status: r.status, body: r.data.toString() },
        `read the logs of ${name}`,
        [200],
      );
      lines.push(...demultiplex(r.data, name));
    }
    lines.sort((a, b) => a.at.localeCompare(b.at));
    return { lines: lines.slice(-input.tail) };
  },
};
