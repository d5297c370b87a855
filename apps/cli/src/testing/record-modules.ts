// Preload (`node --import`) that appends every module URL the process resolves to the file
// named by STEWARD_RECORD_MODULES: how a test proves what a command does not load.
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";

const out = process.env.STEWARD_RECORD_MODULES;
if (out)
  registerHooks({
    resolve(specifier, context, next) {
      const r = next(specifier, context);
      appendFileSync(out, `${r.url}\n`);
      return r;
    },
  });
