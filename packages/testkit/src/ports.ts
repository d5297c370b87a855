import { createServer } from "node:net";

/**
 * A port that was free a moment ago on `address` (127.0.0.1 by default): ask on the address
 * the server will listen on, as a port free on 127.0.0.1 may be taken on 127.0.0.2 by a
 * server of a test file running beside.
 */
export function freePort(address = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, address, () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
