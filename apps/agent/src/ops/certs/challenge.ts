// cert.challenge: the http-01 answers nginx serves at /.well-known/acme-challenge/<token> on
// port 80 for every site (the location is in each site's port-80 server block, ahead of
// redirects and the suspended page). Tokens are base64url (the contract), so a token is a
// file name as it stands; the alphabet is checked again here before it becomes a path.
import { join } from "node:path";
import { acmeToken } from "@steward/contracts/agent";
import { OpFailure, type OpHandler } from "../types.ts";
import { challengeDir } from "./paths.ts";

const tokenFile = (dir: string, token: string) => {
  if (!acmeToken.safeParse(token).success)
    throw new OpFailure("OP_INPUT_INVALID", "an ACME token must be base64url");
  return join(dir, token);
};

export const certChallenge: OpHandler<"cert.challenge"> = {
  name: "cert.challenge",
  async run(ctx, input) {
    const dir = challengeDir(ctx.config);
    await ctx.phase("stage", async () => {
      if (input.place.length) {
        await ctx.mkdir(join(ctx.config.sitesRoot, ".steward"), { mode: 0o755, uid: 0, gid: 0 });
        await ctx.mkdir(dir, { mode: 0o755, uid: 0, gid: 0 });
      }
      for (const c of input.place)
        await ctx.writeFile(tokenFile(dir, c.token), c.keyAuthorization, {
          mode: 0o644,
          uid: 0,
          gid: 0,
        });
      for (const token of input.remove) await ctx.removeFile(tokenFile(dir, token));
    });
    return {};
  },
};
