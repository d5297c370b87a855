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
    // tools/node24.mjs serveNodeFlags: what `npm start` runs serve with
    "node-flags": { type: "string", default: "--max-semi-space-size=2 --v8-pool-size=1" },
  } as const;
}
