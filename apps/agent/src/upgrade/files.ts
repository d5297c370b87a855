// Where the single-file agent lives and the files of an upgrade, beside it (the installer's
// /usr/local/lib/steward, install/agent.sh, which uses the same names: its rollback script
// runs after every exit of the agent).
import { dirname, join } from "node:path";

/** the running binary and its directory (process.execPath: as started, not re-resolved) */
export function upgradeFiles(binary = process.execPath) {
  const dir = dirname(binary);
  return {
    binary,
    /** the download, until it is checked and swapped in */
    next: join(dir, "steward-agent.new"),
    /** the binary that ran before the last upgrade (kept; the rollback's source) */
    previous: join(dir, "steward-agent.previous"),
    /** the version being tried: until it answers the panel; the rollback script acts on it */
    pending: join(dir, "upgrade-pending"),
    /** written by the rollback script: the version that did not come up */
    rolledBack: join(dir, "upgrade-rolled-back"),
  };
}
