// `npm run bench:gitdeploy [-- --json] [--builds N]`: an app's image from a git repository,
// N times (default 10), on a hermetic Podman and a git server over HTTPS requiring a token
// (testkit). steward: `container.build` sent to a real agent over mTLS (what the panel's
// app.deploy task sends: the remote checked under the outbound policy and pinned, git init,
// fetch --depth 1 with the token in git's environment, checkout, the context packed and
// streamed to the engine's /build, every line of its output logged); floor: the same clone
// (`git clone --depth 1`, the token as the same header) and the same tar posted to /build
// directly. Each round pushes a new commit first (not timed), so every build sees new
// content, as after a push. Progress on stderr; stdout the table, or with --json only
// {"results":[{"system","builds","p50Ms","p99Ms"}]}.
import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { startTestAgent } from "@steward/agent/testing";
import { opStreamLine } from "@steward/contracts/agent";
import {
  type GitServer,
  HTTPD_IMAGE,
  type PodmanServer,
  startGitServer,
  startPodman,
} from "@steward/testkit";
import { percentile } from "../tasks/harness.ts";

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    builds: { type: "string", default: "10" },
  },
});
const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
const TOKEN = "ghp_bench_0123456789";
const ADDRESS = "127.0.0.11";

export interface Result {
  system: "steward" | "floor";
  builds: number;
  p50Ms: number;
  p99Ms: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const summary = (system: Result["system"], times: number[]): Result => {
  times.sort((a, b) => a - b);
  return {
    system,
    builds: times.length,
    p50Ms: round(percentile(times, 50)),
    p99Ms: round(percentile(times, 99)),
  };
};

let pushes = 0;
const push = (git: GitServer) =>
  git.commit("shop.git", "main", { "index.html": `round ${++pushes}\n` });

async function steward(podman: PodmanServer, git: GitServer, url: string, n: number) {
  const agent = await startTestAgent({
    containers: {
      engine: "podman",
      socket: podman.socket,
      appsRoot: `${podman.dir}/apps`,
      gitCaFile: git.caFile,
    },
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      await push(git);
      const input = {
        appId: "app_bench",
        deploymentId: `dep_s${i}`,
        url,
        ref: "main",
        image: `localhost/steward/app_bench:dep_s${i}`,
        token: TOKEN,
        outbound: { allow: [`${ADDRESS}/32`] },
      };
      const start = performance.now();
      const r = await agent.call("/v1/ops/container.build", { body: { version: 1, input } });
      const last = r
        .lines()
        .map((l) => opStreamLine.parse(l))
        .at(-1);
      if (last?.type !== "result" || last.result.status !== "ok")
        throw new Error(`container.build: ${JSON.stringify(last)}`);
      times.push(performance.now() - start);
    }
    return summary("steward", times);
  } finally {
    await agent.stop();
  }
}

function postBuild(socket: string, tag: string, tar: string) {
  return new Promise<void>((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method: "POST",
        path: `/build?t=${encodeURIComponent(tag)}&rm=1`,
        headers: { "content-type": "application/x-tar", host: "engine" },
      },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => {
          text += c.toString();
        });
        res.on("end", () =>
          res.statusCode === 200 && !text.includes('"error"')
            ? resolve()
            : reject(new Error(text.slice(-500))),
        );
      },
    );
    req.on("error", reject);
    createReadStream(tar).pipe(req);
  });
}

async function floor(podman: PodmanServer, git: GitServer, url: string, n: number) {
  const header = `Authorization: Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}`;
  const env = {
    PATH: "/usr/bin:/bin",
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_SSL_CAINFO: git.caFile,
  };
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await push(git);
    const dir = await mkdtemp(join(tmpdir(), "bench-git-"));
    try {
      const start = performance.now();
      const src = join(dir, "src");
      await run(
        "git",
        [
          "-c",
          `http.extraHeader=${header}`,
          "clone",
          "-q",
          "--depth",
          "1",
          "-b",
          "main",
          "--",
          url,
          src,
        ],
        { env },
      );
      const tar = join(dir, "context.tar");
      await run("tar", ["--exclude=./.git", "-C", src, "-cf", tar, "."]);
      await postBuild(podman.socket, `localhost/floor/app:f${i}`, tar);
      times.push(performance.now() - start);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return summary("floor", times);
}

async function main(): Promise<number> {
  const builds = Number(values.builds);
  if (!Number.isInteger(builds) || builds < 1) throw new Error("--builds takes a whole number ≥ 1");
  const [podman, git] = await Promise.all([startPodman(), startGitServer(ADDRESS)]);
  if (!podman || !git) throw new Error("Podman and git are needed");
  const stop = () => Promise.all([podman.stop(), git.stop()]);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => void stop().finally(() => process.exit(130)));
  const results: Result[] = [];
  try {
    const url = await git.create("shop.git");
    await git.commit("shop.git", "main", {
      Dockerfile: `FROM ${HTTPD_IMAGE}\nCOPY index.html /www/index.html\n`,
      "index.html": "round 0\n",
    });
    git.token = TOKEN;
    for (const measure of [steward, floor]) {
      const r = await measure(podman, git, url, builds);
      say(JSON.stringify(r));
      results.push(r);
    }
  } finally {
    await stop();
  }
  if (values.json) process.stdout.write(`${JSON.stringify({ results })}\n`);
  else {
    const cols = ["system", "builds", "p50Ms", "p99Ms"] as const;
    const lines = [cols, ...results.map((r) => cols.map((c) => String(r[c])))];
    process.stdout.write(`${lines.map((l) => l.map((c) => c.padEnd(9)).join(" ")).join("\n")}\n`);
  }
  return 0;
}

const watchdog = setTimeout(() => {
  say("watchdog: the run took more than 30 minutes");
  process.exit(2);
}, 30 * 60_000);
watchdog.unref();
main().then(
  (code) => process.exit(code),
  (err) => {
    say(String((err as Error).stack ?? err));
    process.exit(1);
  },
);
