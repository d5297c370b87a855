// A hermetic S3: s3rver in-process on 127.0.0.1 and a random port, its objects in a temp
// directory, with a bucket made up front. Clients must set `requestChecksumCalculation` and
// `responseChecksumValidation` to "WHEN_REQUIRED" and path-style addressing: with the AWS SDK
// v3's default checksums s3rver stores streamed uploads with their aws-chunked framing
// (46 bytes more, silently corrupted). `brokenEndpoint` is a proxy in front of it that
// accepts every request but answers each multipart completion with 200 and an error body
// (the Coolify #7779 case: an upload that looks accepted and never completes).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface S3Server {
  endpoint: string;
  /** a proxy that fails every CompleteMultipartUpload after accepting the parts */
  brokenEndpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  stop(): Promise<void>;
}

const COMPLETION_ERROR =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>';

function proxyTo(port: number) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "POST" && /[?&]uploadId=/.test(req.url ?? "")) {
      req.resume();
      req.on("end", () =>
        res.writeHead(200, { "content-type": "application/xml" }).end(COMPLETION_ERROR),
      );
      return;
    }
    const upstream = request(
      { host: "127.0.0.1", port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  };
}

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

export async function startS3rver(bucket = "steward-test"): Promise<S3Server> {
  const { default: S3rver } = await import("s3rver"); // loaded when used (~170 ms)
  const dir = mkdtempSync(join(tmpdir(), "stw-s3rver-"));
  const s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await s3.run();
  const proxy = createServer(proxyTo(port));
  const proxyPort = await listen(proxy);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    brokenEndpoint: `http://127.0.0.1:${proxyPort}`,
    bucket,
    // s3rver accepts any credentials that are signed with S3RVER/S3RVER
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    dir,
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await s3.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same S3 in a child process: what a test measures of its own process's memory is then
 * the client's alone, not s3rver's buffers of the parts it receives.
 */
export async function startS3rverProcess(bucket = "steward-test"): Promise<S3Server> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL("./s3rver-child.ts", import.meta.url)), bucket],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const started = JSON.parse(line) as Omit<S3Server, "stop">;
  return {
    ...started,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
