// Two network namespaces joined by a veth pair, for firewall tests (docs/firewall.md): nft
// runs only in the "node" namespace, never on the host's ruleset, and the traffic stays on
// the namespaces' own addresses. The node namespace listens (TCP ports of its choosing); the
// client namespace connects from its two addresses. Needs root and `ip` (iproute2) and `nft`.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { missing } from "./system.ts";

const IP = "/usr/sbin/ip";
const NFT = "/usr/sbin/nft";

export interface NetnsPair {
  /** the namespace the firewall is applied in (agent.json firewall.netns) */
  node: string;
  client: string;
  /** the node namespace's address */
  address: string;
  /** the client namespace's addresses: the "panel" and another one */
  clientAddress: string;
  otherAddress: string;
  /** TCP listeners on the node's address that greet each connection */
  listen(ports: number[]): Promise<void>;
  /** whether a connection from the client namespace (from `from`) reaches `port` */
  reaches(port: number, from?: string): Promise<boolean>;
  /** nft run in the node namespace (reading what the agent did) */
  nft(args: string[]): string;
  close(): Promise<void>;
}

interface Peer {
  ask(r: object): Promise<Record<string, unknown>>;
  stop(): void;
}

function ip(args: string[]) {
  const r = spawnSync(IP, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr.trim()}`);
}

function startPeer(ns: string): Peer {
  const file = fileURLToPath(new URL("./netns-peer.ts", import.meta.url));
  const child = spawn(IP, ["netns", "exec", ns, process.execPath, file], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<number, (a: Record<string, unknown>) => void>();
  let next = 1;
  let buffer = "";
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf("\n"); i >= 0; i = buffer.indexOf("\n")) {
      const a = JSON.parse(buffer.slice(0, i)) as Record<string, unknown>;
      buffer = buffer.slice(i + 1);
      waiting.get(a.id as number)?.(a);
      waiting.delete(a.id as number);
    }
  });
  return {
    ask(r) {
      const id = next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(`${JSON.stringify({ ...r, id })}\n`);
      });
    },
    stop() {
      child.stdin.end();
      child.kill();
    },
  };
}

/** The pair, or null (skipped, saying why) when this is not root or iproute2/nft are missing. */
export async function startNetnsPair(): Promise<NetnsPair | null> {
  if (process.getuid?.() !== 0)
    return missing("root", "network namespaces and nftables need root: run the tests as root");
  if (!existsSync(IP)) return missing("iproute2", "apt-get install iproute2");
  if (!existsSync(NFT)) return missing("nftables", "apt-get install nftables");
  const tag = randomBytes(3).toString("hex");
  const node = `stwfw-${tag}`;
  const client = `stwfc-${tag}`;
  const [a, b] = [...randomBytes(2)].map((x) => x % 250);
  const net = `10.${a}.${b}`;
  const pair = {
    node,
    client,
    address: `${net}.2`,
    clientAddress: `${net}.1`,
    otherAddress: `${net}.3`,
  };
  const peers: Peer[] = [];
  const close = async () => {
    for (const p of peers) p.stop();
    spawnSync(IP, ["netns", "del", node]);
    spawnSync(IP, ["netns", "del", client]);
  };
  try {
    ip(["netns", "add", node]);
    ip(["netns", "add", client]);
    ip([
      "link",
      "add",
      `stw${tag}n`,
      "netns",
      node,
      "type",
      "veth",
      "peer",
      "name",
      `stw${tag}c`,
      "netns",
      client,
    ]);
    ip(["-n", node, "addr", "add", `${pair.address}/24`, "dev", `stw${tag}n`]);
    ip(["-n", client, "addr", "add", `${pair.clientAddress}/24`, "dev", `stw${tag}c`]);
    ip(["-n", client, "addr", "add", `${pair.otherAddress}/24`, "dev", `stw${tag}c`]);
    for (const [ns, dev] of [
      [node, `stw${tag}n`],
      [client, `stw${tag}c`],
    ] as const) {
      ip(["-n", ns, "link", "set", "lo", "up"]);
      ip(["-n", ns, "link", "set", dev, "up"]);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const server = startPeer(node);
  const clientPeer = startPeer(client);
  peers.push(server, clientPeer);
  return {
    ...pair,
    async listen(ports) {
      for (const port of ports) {
        const r = await server.ask({ op: "listen", host: pair.address, port });
        if (!r.ok) throw new Error(`listen on ${port}: ${String(r.error)}`);
      }
    },
    async reaches(port, from = pair.clientAddress) {
      const r = await clientPeer.ask({ op: "connect", host: pair.address, port, local: from });
      return r.open === true;
    },
    nft(args) {
      const r = spawnSync(IP, ["netns", "exec", node, NFT, ...args], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`nft ${args.join(" ")}: ${r.stderr.trim()}`);
      return r.stdout;
    },
    close,
  };
}
