// The panel's plain-HTTP listener when it obtains its own certificate (STEWARD_TLS_DOMAIN): on
// STEWARD_TLS_HTTP_PORT (80 by default: where an ACME CA validates http-01) it answers
// `/.well-known/acme-challenge/<token>` for the panel's own pending order only (panel-files.ts)
// and redirects everything else to the HTTPS port of the panel's domain (never to the Host
// header's name: no open redirect).
import { createServer, type Server } from "node:http";
import type { Settings } from "../../config/schema.ts";
import { StartupError } from "../../lib/errors.ts";
import { readChallenge } from "./panel-files.ts";

const PREFIX = "/.well-known/acme-challenge/";

type ListenerSettings = Pick<Settings, "dataDir" | "tlsDomain" | "tlsHttpPort" | "listen" | "port">;

export function challengeListener(settings: ListenerSettings & { tlsDomain: string }): Server {
  const origin = `https://${settings.tlsDomain}${settings.port === 443 ? "" : `:${settings.port}`}`;
  return createServer((req, res) => {
    const path = req.url?.startsWith("/") ? req.url : "/";
    if (path.startsWith(PREFIX) && (req.method === "GET" || req.method === "HEAD")) {
      const answer = readChallenge(settings.dataDir, path.slice(PREFIX.length));
      res.writeHead(answer === null ? 404 : 200, { "content-type": "text/plain" });
      res.end(answer ?? "no such challenge\n");
      return;
    }
    res.writeHead(req.method === "GET" || req.method === "HEAD" ? 301 : 308, {
      location: origin + path,
    });
    res.end();
  });
}

/** Starts the listener; a port it cannot take stops the start, naming the setting. */
export async function startChallengeListener(settings: ListenerSettings): Promise<Server | null> {
  const { tlsDomain } = settings;
  if (!tlsDomain) return null;
  const server = challengeListener({ ...settings, tlsDomain });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          `STEWARD_TLS_HTTP_PORT: port ${settings.tlsHttpPort} on ${settings.listen} cannot be listened on (${err.code ?? err.message}); the CA validates the panel's domain on port 80, which needs root or CAP_NET_BIND_SERVICE (or a forward from 80)`,
        ),
      ),
    );
    server.listen(settings.tlsHttpPort, settings.listen, () => resolve());
  });
  return server;
}
