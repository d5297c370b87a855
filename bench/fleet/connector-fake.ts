// bench:fleet's sites, in a process of their own (their CPU is not the panel's): HOSTS servers,
// one per loopback address 127.0.0.2…, each answering the Steward connector's
// `GET /wp-json/steward/v1/info?check=1` as a WordPress site does (Basic authentication checked,
// the same JSON the connector sends) after LATENCY ms. Prints its hosts' URLs as one JSON line;
// on SIGTERM prints what it saw: requests, and the most in flight at once on one host.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const [hosts = 50, latency = 300] = process.argv.slice(2).map(Number);
const AUTH = `Basic ${Buffer.from("admin:abcdefghijklmnopqrstuvwx").toString("base64")}`;
const info = JSON.stringify({
  connector: "0.1.0",
  wordpress: "6.4.2",
  php: "8.2.20",
  database: "10.11.6-MariaDB",
  siteUrl: "",
  timezone: "UTC",
  coreUpdate: "6.4.3",
  plugins: Array.from({ length: 20 }, (_, i) => ({
    slug: `plugin-${i}/plugin-${i}.php`,
    name: `Plugin ${i}`,
    version: "1.0.0",
    active: true,
    update: i % 5 === 0 ? "1.1.0" : null,
  })),
  themes: [
    {
      slug: "twentytwentyfour",
      name: "Twenty Twenty-Four",
      version: "1.0",
      active: true,
      update: null,
    },
  ],
});

let requests = 0;
let refused = 0;
let maxPerHost = 0;
const urls: string[] = [];
for (let h = 0; h < hosts; h++) {
  let inFlight = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (req.url !== "/wp-json/steward/v1/info?check=1" || req.headers.authorization !== AUTH) {
      refused += 1;
      res.writeHead(401, { "content-type": "application/json" }).end('{"code":"rest_forbidden"}');
      return;
    }
    inFlight += 1;
    maxPerHost = Math.max(maxPerHost, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(200, { "content-type": "application/json" }).end(info);
    }, latency);
  });
  const address = `127.0.0.${h + 2}`;
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  urls.push(`http://${address}:${(server.address() as AddressInfo).port}`);
}
process.stdout.write(`${JSON.stringify({ urls })}\n`);
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ requests, refused, maxPerHost })}\n`);
  process.exit(0);
});
