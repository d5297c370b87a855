// Test support (not shipped behaviour): a real DNS server over UDP on 127.0.0.1 answering A and
// AAAA queries from a table the test changes at will (NXDOMAIN for names it does not hold), so
// the agent's resolver (agent.json "resolver.servers") can be made to say anything, such as a
// name that rebinds from one address to another between two applies.
import { createSocket } from "node:dgram";
import { parseIp } from "@steward/contracts/net";

export interface TestDns {
  /** "127.0.0.1:port", for resolver.servers */
  server: string;
  /** the addresses a name has from now on (lowercase, no trailing dot) */
  set(name: string, addresses: string[]): void;
  stop(): Promise<void>;
}

const A = 1;
const AAAA = 28;

export async function startTestDns(): Promise<TestDns> {
  const records = new Map<string, string[]>();
  const socket = createSocket("udp4");
  socket.on("message", (query, peer) => {
    const answer = respond(query, records);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    set: (name, addresses) => records.set(name, addresses),
    stop: () => new Promise((r) => socket.close(() => r())),
  };
}

function respond(q: Buffer, records: Map<string, string[]>): Buffer | null {
  if (q.length < 17 || q.readUInt16BE(4) !== 1) return null;
  // the question: length-prefixed labels, a zero, type and class
  const labels: string[] = [];
  let at = 12;
  while (at < q.length && q[at] !== 0) {
    const len = q[at] ?? 0;
    labels.push(q.subarray(at + 1, at + 1 + len).toString("latin1"));
    at += 1 + len;
  }
  const end = at + 5;
  if (end > q.length) return null;
  const type = q.readUInt16BE(at + 1);
  const known = records.get(labels.join(".").toLowerCase());
  const rdata = (known ?? [])
    .map((a) => parseIp(a))
    .filter((a) => a !== null && a.kind() === (type === AAAA ? "ipv6" : "ipv4"))
    .map((a) => Buffer.from(a?.toByteArray() ?? []));
  const answers = type === A || type === AAAA ? rdata : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion; NXDOMAIN if unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const records_ = answers.map((data) => {
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(type, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(0, 6); // TTL 0: never cached
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  return Buffer.concat([header, q.subarray(12, end), ...records_]);
}
