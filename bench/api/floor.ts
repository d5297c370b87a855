// The "floor-fastify" system: a bare Fastify answering a constant JSON on 127.0.0.1, in a
// process of its own like the panel. Run as a child; prints its port, exits on SIGTERM or
// when its parent goes away.
import { spawn } from "node:child_process";
import Fastify from "fastify";

export const FLOOR_PATH = "/healthz";

/** Starts the floor server in a child process; resolves to its URL and a way to stop it. */
export async function startFloor(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, "serve"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the floor server did not start in 30 s")),
      30_000,
    );
    child.stdout.setEncoding("utf8").once("data", (d: string) => {
      clearTimeout(timer);
      resolve(d.trim());
    });
    child.once("exit", (code) => reject(new Error(`the floor server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function serve() {
  const app = Fastify({ logger: false });
  app.get(FLOOR_PATH, async () => ({ status: "ok" }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
  process.stdin.on("end", () => process.exit(0)); // the parent is gone
  process.stdin.resume();
  process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
}

if (process.argv[2] === "serve") await serve();
