// cert.request: a new private key for the site's certificate, made here and kept here
// (next-key.pem, root 0600, until cert.install puts the signed chain beside it); the answer
// is only the CSR. Another request replaces a key still waiting.
import { createDomainRequest } from "@steward/pki";
import type { OpHandler } from "../types.ts";
import { certPaths } from "./paths.ts";

export const certRequest: OpHandler<"cert.request"> = {
  name: "cert.request",
  async run(ctx, input) {
    const paths = certPaths(ctx.config, input.id);
    const made = await ctx.step(`make a ${input.keyType} key and its request`, () =>
      createDomainRequest(input.names, input.keyType),
    );
    await ctx.phase("stage", async () => {
      await ctx.mkdir(ctx.config.tlsDir, { mode: 0o700, uid: 0, gid: 0 });
      await ctx.mkdir(paths.dir, { mode: 0o700, uid: 0, gid: 0 });
      await ctx.writeFile(paths.nextKey, made.privateKey, { mode: 0o600, uid: 0, gid: 0 });
    });
    return { csr: made.csr };
  },
};
