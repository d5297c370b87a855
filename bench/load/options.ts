// The command-line options bench:load and bench:api share: how much load, against which
// databases, signed in how; each bench gives its own defaults.
export function loadOptions(defaults: {
  duration: string;
  warmup: string;
  connections: string;
  db: string;
}) {
  return {
    json: { type: "boolean", default: false },
    duration: { type: "string", default: defaults.duration },
    warmup: { type: "string", default: defaults.warmup },
    connections: { type: "string", default: defaults.connections },
    timeout: { type: "string", default: "10" },
    db: { type: "string", default: defaults.db },
    auth: { type: "string", default: "key,cookie" },
    only: { type: "string" },
    // V8 flags for serve, in its NODE_OPTIONS; none: `npm start`'s own (apps/cli/src/main.ts),
    // and a flag named here replaces that one of them
    "node-flags": { type: "string", default: "" },
  } as const;
}
