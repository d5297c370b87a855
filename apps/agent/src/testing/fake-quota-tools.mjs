// A strict recording fake of the quota tools (quota 4.06: quotaon, repquota, setquota), for
// tests on kernels without user quotas (docs/hosting.md#disk-usage). Run through the small
// executables quota-tools.ts writes: which tool it is comes from the executable's name, the
// state (the mount points with user quotas on, the directories whose files count as used,
// each uid's limits) from `fake-quota.json` beside it, and every call is appended to
// `calls.jsonl` there (argv and exit code). It accepts only the forms the agent may use and
// answers them in the real tools' words and exit codes:
//   quotaon -p -u MOUNT      "user quota on MOUNT (DEV) is on", exit 1 (the real one exits with
//                            the number of filesystems that are on); a mount without quotas:
//                            "Mountpoint (or device) … not found or has no quota enabled." on
//                            stderr, exit 0
//   repquota -u -n -O csv MOUNT   the CSV header and a `#uid` row for each uid with usage
//                            (as without -v), used space in 1 KiB blocks from lstat's blocks
//   setquota -u USER BSOFT BHARD ISOFT IHARD MOUNT   the limits kept; "Bad block softlimit: …",
//                            "Bad number of arguments.", "user … does not exist." as the real one
// Anything else (another option, another output format, a second mount) exits 1 with the real
// tool's complaint and changes nothing.
import { appendFileSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

const dir = dirname(process.argv[1] ?? "");
const tool = basename(process.argv[1] ?? "");
const argv = process.argv.slice(2);
const stateFile = join(dir, "fake-quota.json");

/** @returns {{ mounts: Record<string, string>, roots: string[], limits: Record<string, number[]> }} */
const readState = () => JSON.parse(readFileSync(stateFile, "utf8"));

function exit(code, out = "", err = "") {
  if (out) process.stdout.write(out);
  if (err) process.stderr.write(err);
  appendFileSync(join(dir, "calls.jsonl"), `${JSON.stringify({ tool, argv, code })}\n`);
  process.exit(code);
}

const SETQUOTA_USAGE = `${tool}: Usage:
  setquota [-u|-g|-P] [-rm] [-F quotaformat] <user|group|project>
\t<block-softlimit> <block-hardlimit> <inode-softlimit> <inode-hardlimit> -a|<filesystem>...
`;
const QUOTAON_USAGE = `${tool}: Usage:
\tquotaon [-guPvp] [-F quotaformat] [-x state] -a
\tquotaon [-guPvp] [-F quotaformat] [-xR state] <filesys> ...
`;
const REPQUOTA_USAGE = `${tool}: Utility for reporting quotas.
Usage:
repquota [-vugsi] [-c|C] [-t|n] [-F quotaformat] [-O (default | xml | csv)] (-a | mntpoint)
`;
const notOn = (mount) =>
  `${tool}: Mountpoint (or device) ${mount} not found or has no quota enabled.\n`;

/**
 * Splits argv as getopt does for the single-letter flags given (`withValue`: those taking a
 * value); an unknown flag answers as getopt does. Returns the flags seen and the operands.
 */
function getopt(flags, withValue, usage) {
  const seen = new Map();
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--") {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      rest.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j] ?? "";
      if (!flags.includes(f) && !withValue.includes(f))
        exit(1, "", `${process.argv[1]}: invalid option -- '${f}'\n${usage}`);
      if (withValue.includes(f)) {
        const value = a.slice(j + 1) || argv[++i];
        if (value === undefined)
          exit(1, "", `${process.argv[1]}: option requires an argument -- '${f}'\n${usage}`);
        seen.set(f, value);
        break;
      }
      seen.set(f, true);
    }
  }
  return { seen, rest };
}

/** Each uid's used 1 KiB blocks and inodes under the state's roots (lstat: links not followed). */
function usage(roots) {
  const used = new Map();
  const count = (path) => {
    let s;
    try {
      s = lstatSync(path);
    } catch {
      return;
    }
    const u = used.get(s.uid) ?? { bytes: 0, files: 0 };
    used.set(s.uid, { bytes: u.bytes + s.blocks * 512, files: u.files + 1 });
    if (s.isDirectory()) for (const name of readdirSync(path)) count(join(path, name));
  };
  for (const root of roots) count(root);
  return used;
}

const SPACE_UNITS = { "": 1, K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 };
const DECIMAL_UNITS = { "": 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12 };

/** A limit as setquota reads it (space in 1 KiB blocks), or null when malformed. */
function limit(value, units) {
  const m = /^(\d+)([A-Za-z]?)$/.exec(value);
  const scale = m ? units[m[2] ?? ""] : undefined;
  if (!m || scale === undefined) return null;
  const n = Number(m[1]) * scale;
  return Number.isSafeInteger(n) ? n : null;
}

function quotaon() {
  const { seen, rest } = getopt(["p", "u", "g", "P", "v"], ["F", "x"], QUOTAON_USAGE);
  if (!seen.has("p")) exit(1, "", `${tool}: this fake only prints the state (-p)\n`);
  if (!seen.has("u") || seen.has("g") || seen.has("P"))
    exit(1, "", `${tool}: this fake answers for user quotas (-u) only\n`);
  if (rest.length !== 1) exit(1, "", `${tool}: Bad number of arguments.\n${QUOTAON_USAGE}`);
  const mount = rest[0] ?? "";
  const dev = readState().mounts[mount];
  if (dev === undefined) exit(0, "", notOn(mount));
  exit(1, `user quota on ${mount} (${dev}) is on\n`);
}

function repquota() {
  const { seen, rest } = getopt(["u", "n", "v"], ["O"], REPQUOTA_USAGE);
  const format = seen.get("O") ?? "default";
  if (!["default", "xml", "csv"].includes(format))
    exit(1, "", `${tool}: Unknown output format: ${format}\nSupported formats are:\n`);
  if (format !== "csv" || !seen.has("n")) exit(1, "", `${tool}: this fake prints -n -O csv only\n`);
  if (rest.length !== 1) exit(1, "", `${tool}: Bad number of arguments.\n${REPQUOTA_USAGE}`);
  const state = readState();
  const mount = rest[0] ?? "";
  if (state.mounts[mount] === undefined)
    exit(1, "", `${notOn(mount)}${tool}: Not all specified mountpoints are using quota.\n`);
  const used = usage(state.roots);
  const uids = [...new Set([...used.keys(), ...Object.keys(state.limits).map(Number)])];
  const status = (n, soft, hard) => (hard && n > hard ? "hard" : soft && n > soft ? "soft" : "ok");
  const rows = uids
    .sort((a, b) => a - b)
    .flatMap((uid) => {
      const u = used.get(uid) ?? { bytes: 0, files: 0 };
      // as without -v: a uid that uses nothing is not listed, whatever its limits
      if (!u.bytes && !u.files && !seen.has("v")) return [];
      const [bs = 0, bh = 0, is = 0, ih = 0] = state.limits[uid] ?? [];
      const kib = Math.ceil(u.bytes / 1024);
      const bgrace = bs && kib >= bs ? "7days" : "";
      const igrace = is && u.files >= is ? "7days" : "";
      return [
        `#${uid},${status(kib, bs, bh)},${status(u.files, is, ih)},${kib},${bs},${bh},${bgrace},${u.files},${is},${ih},${igrace}\n`,
      ];
    });
  exit(
    0,
    `User,BlockStatus,FileStatus,BlockUsed,BlockSoftLimit,BlockHardLimit,BlockGrace,FileUsed,FileSoftLimit,FileHardLimit,FileGrace\n${rows.join("")}`,
  );
}

/** A user's uid as setquota finds it: digits are an id, a name is looked up in /etc/passwd. */
function uidOf(user) {
  if (/^\d+$/.test(user)) return Number(user);
  for (const line of readFileSync("/etc/passwd", "utf8").split("\n")) {
    const [name, , uid] = line.split(":");
    if (name === user) return Number(uid);
  }
  return exit(1, "", `${tool}: user ${user} does not exist.\n`);
}

function setquota() {
  const { seen, rest } = getopt(
    ["u", "g", "P", "r", "m", "a", "b", "c", "t", "T"],
    ["F", "p"],
    SETQUOTA_USAGE,
  );
  for (const f of ["g", "P", "r", "a", "b", "c", "t", "T", "p"])
    if (seen.has(f))
      exit(1, "", `${tool}: this fake sets user block and inode limits only (-${f})\n`);
  if (rest.length < 6) exit(1, "", `${tool}: Bad number of arguments.\n${SETQUOTA_USAGE}`);
  if (rest.length > 6) exit(1, "", `${tool}: this fake sets limits on one filesystem at a time\n`);
  const [user = "", ...values] = rest;
  const mount = values.pop() ?? "";
  const uid = uidOf(user);
  const names = ["block softlimit", "block hardlimit", "inode softlimit", "inode hardlimit"];
  const limits = values.map((value, i) => {
    const n = limit(value, i < 2 ? SPACE_UNITS : DECIMAL_UNITS);
    if (n !== null) return n;
    const why =
      i < 2
        ? "Unknown space binary unit. Valid units are K, M, G, T."
        : "Unknown decimal unit. Valid units are k, m, g, t.";
    return exit(1, "", `${tool}: Bad ${names[i]}: ${value}: ${why}\n${SETQUOTA_USAGE}`);
  });
  const state = readState();
  if (state.mounts[mount] === undefined)
    exit(1, "", `${notOn(mount)}${tool}: Not all specified mountpoints are using quota.\n`);
  if (limits.every((n) => n === 0)) delete state.limits[uid];
  else state.limits[uid] = limits;
  writeFileSync(stateFile, JSON.stringify(state));
  exit(0);
}

const tools = { quotaon, repquota, setquota };
if (!(tool in tools)) exit(1, "", `fake-quota-tools: no tool named ${tool}\n`);
tools[tool]();
