// Preloaded into Uptime Kuma's process by the bench (`node --require`), never into Steward.
// Kuma starts its active monitors one by one, `sleep(getRandomInt(300, 1000))` apart
// (server/server.js `startMonitors`, the only caller of getRandomInt in its server): 4,000
// monitors take ~45 minutes to start. Each monitor then beats an interval after its previous
// beat, so once every monitor runs their beats are spread evenly over the interval. This makes
// that spacing interval / n from the start (KUMA_BENCH_START_SPACING_MS), so the steady state
// is reached in one interval; nothing else of Kuma changes.
const { join } = require("node:path");

const spacing = Number(process.env.KUMA_BENCH_START_SPACING_MS);
if (Number.isFinite(spacing) && spacing >= 0) {
  const util = require(join(process.cwd(), "src/util.js"));
  const random = util.getRandomInt;
  util.getRandomInt = (min, max) =>
    min === 300 && max === 1000 ? Math.round(spacing) : random(min, max);
}
