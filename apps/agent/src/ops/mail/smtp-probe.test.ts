// The STARTTLS probe's failures are bounded: a server that closes the connection before or
// during the dialogue (a daemon restarting: no error, and no idle timeout after a close), or one
// that never answers, fails the probe at once or after its timeout, never holding the operation
// (docs/mail.md#tls: the verify step asks again until its deadline).
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { starttlsSerial } from "./smtp-probe.ts";

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(null));
  server = null;
});

/** A server on 127.0.0.1 doing `onConnection` with each client; its address. */
async function serve(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  return { host: "127.0.0.1", port: address.port };
}

describe("starttlsSerial", () => {
  it("fails at once when the server closes before its greeting", async () => {
    const at = await serve((socket) => socket.end());
    const started = Date.now();
    await expect(starttlsSerial(at)).rejects.toThrow("the server closed the connection");
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it("fails at once when the server closes after EHLO", async () => {
    const at = await serve((socket) => {
      socket.write("220 test ESMTP\r\n");
      socket.once("data", () => socket.end("250-test\r\n"));
    });
    await expect(starttlsSerial(at)).rejects.toThrow("the server closed the connection");
  });

  it("fails after its timeout when the server says nothing", async () => {
    const at = await serve(() => {});
    await expect(starttlsSerial(at)).rejects.toThrow("the server did not answer in time");
  }, 20_000);

  it("names the answer when the server refuses STARTTLS", async () => {
    const at = await serve((socket) => {
      socket.write("220 test ESMTP\r\n");
      socket.on("data", (line: Buffer) =>
        socket.write(
          line.toString().startsWith("EHLO") ? "250 test\r\n" : "454 4.7.0 TLS not available\r\n",
        ),
      );
    });
    await expect(starttlsSerial(at)).rejects.toThrow(
      "STARTTLS answered 454 4.7.0 TLS not available",
    );
  });
});
