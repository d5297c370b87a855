// The V8 flags of the two long-running processes, in one place: `steward serve` and `steward
// agent` exec themselves with them (main.ts), the single-file agent has the agent's baked in
// (build-agent.ts), and the benches run the agent's code with them.

/**
 * The agent's: one V8 helper thread and a small young generation (2 MB semi-spaces; its idle
 * budget is 60 MB, docs/agent.md). For what it streams (a backup, a download: 64 KiB buffers
 * by the hundred megabytes), two more (docs/backups.md, "The pipeline"): external memory counts
 * toward the heap's own growing limit instead of forcing a full collection every 64 MB
 * allocated, and the old generation is first collected at 64 MB. A PostgreSQL backup made
 * about 20 full collections of the agent's 30-40 MB heap without the first and one with it;
 * a MariaDB backup still made 25 (V8 had shrunk its limit to a few MB above the live heap,
 * which the buffers waiting for the next scavenge reached) and none with the second. The
 * agent's CPU for either backup halved; its idle RSS unchanged (bench:agent).
 */
export const AGENT_NODE_FLAGS = [
  "--max-semi-space-size=2",
  "--v8-pool-size=1",
  "--external-memory-accounted-in-global-limit",
  "--initial-old-space-size=64",
];

/**
 * The panel's (docs/configuration.md, "Memory"): 8 MB semi-spaces, so what 50 list requests
 * in flight hold dies young instead of being promoted (a quarter less CPU an answer than 2 MB
 * in bench:api, for 5-15 MB more resident); its old generation collected at 64 MB the first
 * time, then whenever it has grown 25% past what the last collection kept. V8's own choice let
 * a panel checking 10,000 monitors grow it to 3-4 times its live 70-100 MB (300 MB before the
 * first full collection), and the resident memory kept that peak.
 */
export const PANEL_NODE_FLAGS = [
  "--max-semi-space-size=8",
  "--v8-pool-size=1",
  "--initial-old-space-size=64",
  "--heap-growing-percent=25",
];
