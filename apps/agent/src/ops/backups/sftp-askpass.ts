// How ssh gets the SFTP password and a private key's passphrase without either being in any
// process's argv or environment: ssh runs its SSH_ASKPASS program (SSH_ASKPASS_REQUIRE=force)
// with the prompt as its argument; ours is a 0700 node script that connects to a unix socket
// in the session's 0700 directory (nobody else can even reach the path), says which secret the
// prompt asks for and prints the answer to ssh. ssh closes every inherited descriptor above
// stderr when it starts, so an inherited pipe could not reach the helper; the socket can.
// The single-file agent (steward-agent) has no `node` to run the script: the helper is then
// the agent itself (`#!<steward-agent> askpass`, runAskpassHelper below).
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import { isSea } from "node:sea";

export interface AskpassSecrets {
  password?: string;
  /** what opens the private key */
  passphrase?: string;
}

/** Which secret a prompt asks for ("Enter passphrase for key …" or "…'s password:"). */
const secretAsked = (prompt: string | undefined) =>
  /passphrase/i.test(prompt ?? "") ? "passphrase" : "password";

/**
 * The helper as the single-file agent runs it (`steward-agent askpass <helper> <prompt>`):
 * asks the socket beside the helper file, prints the answer.
 */
export function runAskpassHelper([helperFile, prompt]: string[]) {
  const s = connect(join(dirname(helperFile ?? "."), "askpass.sock"));
  const parts: Buffer[] = [];
  s.on("data", (d: Buffer) => parts.push(d));
  s.on("end", () => process.stdout.write(Buffer.concat(parts)));
  s.on("error", () => process.exit(1));
  s.end(`${secretAsked(prompt)}\n`);
}

/** The helper: a node script, or the single-file agent's own helper mode. */
const helper = (socket: string) =>
  isSea()
    ? `#!${process.execPath} askpass\n`
    : `#!${process.execPath}
const which = /passphrase/i.test(process.argv[2] ?? "") ? "passphrase" : "password";
const s = require("node:net").connect(${JSON.stringify(socket)});
const parts = [];
s.on("data", (d) => parts.push(d));
s.on("end", () => process.stdout.write(Buffer.concat(parts)));
s.on("error", () => process.exit(1));
s.end(which + "\\n");
`;

/**
 * Serves the secrets to the helper for as long as the session lives and answers the
 * environment ssh needs (none of it secret). Close the server when the session ends.
 */
export async function serveAskpass(
  dir: string,
  secrets: AskpassSecrets,
): Promise<{ server: Server; env: NodeJS.ProcessEnv }> {
  const socket = join(dir, "askpass.sock");
  const server = createServer((conn) => {
    let asked = "";
    conn.setEncoding("utf8");
    conn.on("error", () => conn.destroy());
    conn.on("data", (chunk: string) => {
      asked += chunk;
      if (asked.length > 32) return conn.destroy();
      if (!asked.endsWith("\n")) return;
      const secret = asked === "passphrase\n" ? secrets.passphrase : secrets.password;
      conn.end(secret === undefined ? "" : `${secret}\n`);
    });
  });
  server.listen(socket);
  await once(server, "listening");
  const askpass = join(dir, "askpass");
  await writeFile(askpass, helper(socket), { mode: 0o700 });
  return { server, env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: "force" } };
}
