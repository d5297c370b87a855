// FTP and FTPS (explicit AUTH TLS or implicit), passive mode (basic-ftp's only mode). A put
// uploads to a hidden partial name, checks the stored size and renames it into place; an FTP
// client does one transfer at a time, so every call has its own connection. `ca` (PEM) is the
// certificate authority an FTPS server's certificate may chain to besides the system's.
import { randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { PassThrough } from "node:stream";
import type { DestinationSettingsOf } from "@steward/contracts/backups";
import { Client } from "basic-ftp";
import { counted, type Destination } from "./destination.ts";

export function ftpDestination(settings: DestinationSettingsOf<"ftp">): Destination {
  const dir = `/${settings.path.split("/").filter(Boolean).join("/")}`;
  const at = (name: string) => (dir === "/" ? `/${name}` : `${dir}/${name}`);
  const connect = async () => {
    const client = new Client(60_000);
    await client.access({
      host: settings.host,
      port: settings.port,
      user: settings.username,
      password: settings.password,
      secure: settings.tls === "none" ? false : settings.tls === "implicit" ? "implicit" : true,
      secureOptions: {
        ...(settings.ca ? { ca: settings.ca } : {}),
        ...(isIP(settings.host) ? {} : { servername: settings.host }),
      },
    });
    return client;
  };
  const withClient = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = await connect();
    try {
      return await work(client);
    } finally {
      client.close();
    }
  };
  return {
    put: (stream, name) =>
      withClient(async (client) => {
        if (dir !== "/") await client.ensureDir(dir);
        const partial = at(`.${name}.partial-${randomBytes(4).toString("hex")}`);
        const { body, result } = counted(stream);
        try {
          await client.uploadFrom(body, partial);
          const sent = result();
          const stored = await client.size(partial);
          if (stored !== sent.bytes)
            throw new Error(
              `the server stored ${stored} bytes of ${name}, not the ${sent.bytes} sent`,
            );
          await client.rename(partial, at(name));
          return sent;
        } catch (error) {
          await client.remove(partial, true).catch(() => undefined);
          throw error;
        }
      }),
    async get(name) {
      const client = await connect();
      try {
        await client.size(at(name));
      } catch (error) {
        client.close();
        throw error;
      }
      const out = new PassThrough();
      client
        .downloadTo(out, at(name))
        .then(() => out.end())
        .catch((error: Error) => out.destroy(error))
        .finally(() => client.close());
      return out;
    },
    list: (prefix = "") =>
      withClient(async (client) => {
        const entries = await client.list(dir).catch(() => []);
        return entries
          .filter((e) => e.isFile && !e.name.startsWith(".") && e.name.startsWith(prefix))
          .map((e) => ({ name: e.name, bytes: e.size, modifiedAt: e.modifiedAt ?? null }));
      }),
    delete: (name) =>
      withClient(async (client) => {
        await client.remove(at(name), true);
      }),
    async close() {},
  };
}
