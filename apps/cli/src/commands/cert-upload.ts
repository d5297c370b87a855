// `steward cert upload --site S --cert F [--chain F] --key F`: a certificate made elsewhere,
// installed on its site's node. The files are read here; the key is passed to the service and
// never printed. Refusals name the option (the API's body fields mapped back to options).
import { type Certificate, certificateUpload } from "@steward/contracts";
import type { Command } from "commander";
import { type GlobalOptions, parse, readOption, UsageError, withServices } from "../context.ts";
import { print } from "../io.ts";

const OPTIONS: Record<string, string> = {
  site: "--site",
  certificate: "--cert",
  chain: "--chain",
  key: "--key",
  hsts: "--hsts",
};

/** A refusal of the service naming a body field, said with the option's name. */
function asUsage(e: unknown): never {
  const detail = (e as { code?: string; details?: { field: string; message: string }[] })
    .details?.[0];
  const option = detail && OPTIONS[detail.field.replace(/^body\./, "")];
  if ((e as { code?: string }).code === "VALIDATION_FAILED" && detail && option)
    throw new UsageError(`${option}: ${detail.message}`);
  throw e;
}

function printUploaded(g: GlobalOptions, c: Certificate) {
  if (g.json) return print(g, c);
  process.stdout.write(
    `certificate ${c.id} (${c.names.join(", ")}) installed: serial ${c.serial}, ` +
      `valid until ${c.notAfter}; it is not renewed by Steward (warnings at 21, 7 and 1 days)\n`,
  );
}

export function certUploadCommand(cert: Command, g: () => GlobalOptions) {
  cert
    .command("upload")
    .description("installs a certificate made elsewhere on a site (checked first; never renewed)")
    .requiredOption("--site <site>", "the site's id")
    .requiredOption("--cert <file>", "the certificate (PEM), intermediates after it allowed")
    .option("--chain <file>", "the intermediates (PEM), the certificate's issuer first")
    .requiredOption("--key <file>", "its private key (PEM, unencrypted): sent to the node only")
    .option("--hsts", "send Strict-Transport-Security")
    .action(async (o) => {
      const input = parse(
        certificateUpload,
        {
          site: o.site,
          certificate: readOption("--cert", o.cert),
          chain: readOption("--chain", o.chain),
          key: readOption("--key", o.key),
          hsts: o.hsts,
        },
        OPTIONS,
      );
      await withServices(g(), async (svc, ctx) =>
        printUploaded(g(), await svc.certificates.upload(ctx, input).catch(asUsage)),
      );
    });
}
