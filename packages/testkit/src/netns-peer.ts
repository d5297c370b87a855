// Runs inside a network namespace (netns.ts starts it with `ip netns exec`): listens and
// connects on that namespace's addresses when asked, one JSON line per request on stdin, one
// JSON line per answer on stdout. A connection counts as open when the listener's greeting
// arrives; a dropped SYN (a firewall) runs into the timeout.
import { connect, createServer } from "node:net";
import { createInterface } from "node:readline";

interface Request {
  id: number;
  op: "listen" | "connect";
  host: string;
  port: number;
  local?: string;
  timeoutMs?: number;
}

const answer = (a: object) => process.stdout.write(`${JSON.stringify(a)}\n`);

function listen(r: Request) {
  const server = createServer((socket) => socket.end("hi\n"));
  server.on("error", (e) => answer({ id: r.id, error: e.message }));
  server.listen(r.port, r.host, () => answer({ id: r.id, ok: true }));
}

function probe(r: Request) {
  let done = false;
  const finish = (open: boolean) => {
    if (done) return;
    done = true;
    socket.destroy();
    answer({ id: r.id, open });
  };
  const socket = connect({ host: r.host, port: r.port, localAddress: r.local });
  socket.setTimeout(r.timeoutMs ?? 1000, () => finish(false));
  socket.on("data", (d) => finish(d.toString().startsWith("hi")));
  socket.on("error", () => finish(false));
}

createInterface({ input: process.stdin }).on("line", (line) => {
  const r = JSON.parse(line) as Request;
  if (r.op === "listen") listen(r);
  else probe(r);
});
process.stdin.on("end", () => process.exit(0));
