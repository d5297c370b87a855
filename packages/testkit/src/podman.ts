// A hermetic container engine: Debian's Podman (rootful, runc) serving the Docker Engine API on a
// unix socket, every piece of state under a temp DIR: storage.conf, containers.conf,
// registries.conf (no registry: nothing is ever pulled), a private CNI bridge network (its own
// bridge name, a random /24 and the IPAM's data in DIR, so parallel test files and the host's
// `podman` network never meet) and the API service `podman system service --time=0`. Two images
// are imported from a busybox-static rootfs (`podman import`): `localhost/steward-busybox:latest`
// (a shell) and `localhost/steward-httpd:latest` (busybox httpd serving /www on $PORT, default
// 8080, with a health check). Started once per test file; `stop()` removes every container,
// reaps the service and its conmon processes, deletes the bridge and the directory.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { missing } from "./system.ts";

const run = promisify(execFile);

export const BUSYBOX_IMAGE = "localhost/steward-busybox:latest";
export const HTTPD_IMAGE = "localhost/steward-httpd:latest";

export interface PodmanServer {
  /** the Docker-API socket */
  socket: string;
  dir: string;
  /** the engine's version ("4.3.1") */
  version: string;
  /** runs the podman CLI against this instance (argv, never a shell) */
  podman(args: string[]): Promise<string>;
  /** GET/POST on the socket, parsed JSON (for assertions that look past the code under test) */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

const PODMAN = "/usr/bin/podman";
const BUSYBOX = "/bin/busybox";
const APPLETS = ["sh", "httpd", "wget", "sleep", "echo", "cat", "ls", "dd", "rm", "mkdir", "env"];

function writeConfigs(dir: string, network: string, bridge: string): Record<string, string> {
  const subnet = `10.${90 + ((randomBytes(1)[0] ?? 0) % 10)}.${randomBytes(1)[0] ?? 0}`;
  const files = {
    storage: join(dir, "storage.conf"),
    containers: join(dir, "containers.conf"),
    registries: join(dir, "registries.conf"),
  };
  writeFileSync(
    files.storage,
    `[storage]\ndriver = "overlay"\nrunroot = "${dir}/run"\ngraphroot = "${dir}/graph"\n`,
  );
  writeFileSync(
    files.containers,
    [
      "[containers]",
      'default_ulimits = ["nofile=16384:16384", "nproc=4096:4096"]',
      "[engine]",
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${dir}/events.log"`,
      `tmp_dir = "${dir}/tmp"`,
      `volume_path = "${dir}/volumes"`,
      `static_dir = "${dir}/static"`,
      "[network]",
      'network_backend = "cni"',
      `network_config_dir = "${dir}/cni"`,
      `default_network = "${network}"`,
      'cni_plugin_dirs = ["/usr/lib/cni"]',
      "",
    ].join("\n"),
  );
  writeFileSync(files.registries, "unqualified-search-registries = []\n");
  mkdirSync(join(dir, "cni"));
  const conflist = {
    cniVersion: "0.4.0",
    name: network,
    plugins: [
      {
        type: "bridge",
        bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: "host-local",
          dataDir: join(dir, "cni-ipam"),
          routes: [{ dst: "0.0.0.0/0" }],
          ranges: [[{ subnet: `${subnet}.0/24`, gateway: `${subnet}.1` }]],
        },
      },
      { type: "portmap", capabilities: { portMappings: true } },
      { type: "firewall" },
      { type: "tuning" },
    ],
  };
  writeFileSync(join(dir, "cni", `${network}.conflist`), JSON.stringify(conflist));
  return {
    CONTAINERS_STORAGE_CONF: files.storage,
    CONTAINERS_CONF: files.containers,
    CONTAINERS_REGISTRIES_CONF: files.registries,
  };
}

function rootfs(dir: string, name: string, www: boolean): string {
  const root = join(dir, `rootfs-${name}`);
  for (const d of ["bin", "tmp", "www", "etc"]) mkdirSync(join(root, d), { recursive: true });
  chmodSync(join(root, "tmp"), 0o1777);
  for (const applet of APPLETS) symlinkSync("busybox", join(root, "bin", applet));
  writeFileSync(join(root, "etc", "passwd"), "root:x:0:0:root:/:/bin/sh\n");
  if (www) writeFileSync(join(root, "www", "index.html"), "steward httpd\n");
  return root;
}

async function importImage(
  env: NodeJS.ProcessEnv,
  dir: string,
  name: string,
  image: string,
  changes: string[],
) {
  const root = rootfs(dir, name, image === HTTPD_IMAGE);
  copyFileSync(BUSYBOX, join(root, "bin", "busybox")); // the image holds the binary itself
  chmodSync(join(root, "bin", "busybox"), 0o755);
  const tar = join(dir, `${name}.tar`);
  await run("/bin/tar", ["-C", root, "-cf", tar, "."]);
  const args = ["import"];
  for (const c of changes) args.push("--change", c);
  await run(PODMAN, [...args, tar, image], { env });
  rmSync(root, { recursive: true, force: true });
  rmSync(tar, { force: true });
}

function apiCall(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: data ? { "content-type": "application/json" } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

async function waitForSocket(socket: string, child: ChildProcess, logs: string[]) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`podman service exited: ${logs.join("")}`);
    if (existsSync(socket)) {
      const r = await apiCall(socket, "GET", "/_ping").catch(() => null);
      if (r?.status === 200) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`podman service did not answer on ${socket}: ${logs.join("")}`);
}

export async function startPodman(): Promise<PodmanServer | null> {
  if (!existsSync(PODMAN)) return missing("podman", "apt-get install podman runc");
  if (!existsSync("/usr/sbin/runc")) return missing("runc", "apt-get install runc");
  if (!existsSync(BUSYBOX)) return missing("busybox", "apt-get install busybox-static");
  if (!existsSync("/usr/lib/cni/bridge"))
    return missing("CNI plugins", "apt-get install containernetworking-plugins");
  if (process.getuid?.() !== 0) return missing("root (rootful podman)", "run the tests as root");
  const dir = mkdtempSync(join(tmpdir(), "steward-podman-"));
  const tag = randomBytes(3).toString("hex");
  const network = `steward-${tag}`;
  const bridge = `stw${tag}`;
  const env = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", ...writeConfigs(dir, network, bridge) };
  await importImage(env, dir, "busybox", BUSYBOX_IMAGE, ['CMD ["/bin/sh"]']);
  await importImage(env, dir, "httpd", HTTPD_IMAGE, [
    "ENV PORT=8080",
    "EXPOSE 8080",
    // httpd as PID 1 ignores SIGTERM: a stop would wait out its timeout
    "STOPSIGNAL SIGKILL",
    'CMD ["/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"]',
  ]);
  const socket = join(dir, "podman.sock");
  const logs: string[] = [];
  const child = spawn(PODMAN, ["system", "service", "--time=0", `unix://${socket}`], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const keep = (d: Buffer) => {
    logs.push(d.toString());
    if (logs.length > 100) logs.shift();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const podman = async (args: string[]) => (await run(PODMAN, args, { env })).stdout;
  const stop = async () => {
    await run(PODMAN, ["rm", "--all", "--force", "--time", "0"], { env }).catch(() => {});
    await run(PODMAN, ["volume", "prune", "--force"], { env }).catch(() => {});
    if (child.exitCode === null && child.pid) {
      process.kill(child.pid, "SIGTERM");
      await new Promise((r) => {
        const t = setTimeout(r, 5000);
        child.once("exit", () => r(clearTimeout(t)));
      });
    }
    // conmon processes of this instance (their command line names DIR) outlive the service
    const ps = await run("/bin/ps", ["-eo", "pid=,args="]).catch(() => ({ stdout: "" }));
    for (const line of ps.stdout.split("\n")) {
      const m = /^\s*(\d+)\s+(\S*conmon\S*)\s.*/.exec(line);
      if (m?.[1] && line.includes(dir)) {
        try {
          process.kill(Number(m[1]), "SIGKILL");
        } catch {}
      }
    }
    await run(PODMAN, ["system", "reset", "--force"], { env }).catch(() => {});
    await run("/usr/sbin/ip", ["link", "delete", bridge]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForSocket(socket, child, logs);
  } catch (e) {
    await stop();
    throw e;
  }
  const version = (await apiCall(socket, "GET", "/version")).body as { Version?: string };
  return {
    socket,
    dir,
    version: version.Version ?? "",
    podman,
    api: (method, path, body) => apiCall(socket, method, path, body),
    stop,
  };
}
