// Hostile system user and crontab files and the refusal each gets (state/files.test.ts), as
// in state-hostile-files.ts.

/** A real ed25519 public key line (ssh-keygen's). */
export const ALICE_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ1gz3DfXO3Twl9ss9sQLUv1xt/OzJiIjOM9EnW4mXms alice@laptop";

const USER = "system-user/web-1--shop.yaml";
const TEAM = "system-user/web-1--team.yaml";
const PASSWORD = "{ secret: system-user/web-1--shop/password }";
/** The main user shop of account shop on web-1 with these entries instead of the usual. */
const user = (fields: Record<string, string>) =>
  Object.entries({
    ...{ kind: "main", name: "shop", account: "shop", node: "web-1", shell: "sftp" },
    ...{ ftp: "true", keys: `[ "${ALICE_KEY}" ]`, password: PASSWORD },
    ...fields,
  })
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
const team = (fields: Record<string, string>) =>
  user({ kind: "secondary", name: "team", home: "team", password: "", ftp: "false", ...fields });

export const hostileHostingFiles: [file: string, text: string, refusal: string][] = [
  [USER, user({ password: "hunter2hunter2" }), `${USER}: password:`],
  [
    USER,
    user({ password: "{ secret: system-user/web-1--root/password }" }),
    `${USER}: password.secret: must be { secret: system-user/web-1--shop/password }`,
  ],
  [USER, user({ password: "" }), `${USER}: password: FTP needs a password`],
  ["system-user/web-1--root.yaml", user({ name: "root" }), "name: is reserved for the system"],
  [
    "system-user/web-1--x;id.yaml",
    user({ name: '"x;id"' }),
    "system-user/web-1--x;id.yaml: file: name must be lowercase letters",
  ],
  [USER, user({ name: '"shop`id`"' }), `${USER}: name: must be lowercase letters`],
  ["system-user/web-1--shop-cgi.yaml", user({ name: "shop-cgi" }), "name: must not end in -cgi"],
  [
    `system-user/web-1--${"a".repeat(40)}.yaml`,
    user({ name: "a".repeat(40) }),
    "name: must be at most",
  ],
  [USER, user({ quotaMb: "-1" }), `${USER}: quotaMb:`],
  [USER, user({ quotaMb: "0" }), `${USER}: quotaMb: must be more than 0`],
  [USER, user({ quotaMb: "1.5" }), `${USER}: quotaMb:`],
  [USER, user({ quotaMb: '"100; setquota -u 0 0 0 0 0 /"' }), `${USER}: quotaMb:`],
  [USER, user({ quotaMb: "16777217" }), `${USER}: quotaMb:`],
  [USER, user({ shell: "bash" }), `${USER}: shell:`],
  [USER, user({ shell: '"/bin/sh"' }), `${USER}: shell:`],
  [
    USER,
    user({ keys: '[ "command=\\"id\\" ssh-ed25519 AAAA" ]' }),
    `${USER}: keys.0: must start with a key type`,
  ],
  [USER, user({ keys: `[ "${ALICE_KEY}\\nssh-rsa AAAA" ]` }), `${USER}: keys.0: must be one line`],
  [USER, user({ keys: '[ "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJ1g" ]' }), `${USER}: keys.0:`],
  [USER, user({ node: '"web-1; rm -rf /"' }), `${USER}: node:`],
  [USER, user({ account: '"shop\\u0000"' }), `${USER}: account:`],
  [USER, user({ uid: "0" }), `${USER}: uid: is not a known field`],
  [USER, user({ kind: "root" }), `${USER}: kind: must be main or secondary`],
  [
    USER,
    user({ node: "web-2", ftp: "false", password: "" }),
    `${USER}: file: must be named web-2--shop.yaml`,
  ],
  [USER, user({ home: "team" }), `${USER}: home: is not a known field`],
  [TEAM, team({ home: '"../../etc"' }), `${TEAM}: home: must stay inside the account's home`],
  [TEAM, team({ home: '"/root"' }), `${TEAM}: home:`],
  [TEAM, team({ home: '".ssh"' }), `${TEAM}: home:`],
  [TEAM, team({ home: "" }), `${TEAM}: home:`],
];

const TAB = "crontab/web-1--shop.yaml";
/** Shop's crontab on web-1 holding these jobs (YAML flow mappings). */
const crontab = (jobs: string[], more = "") =>
  `account: shop\nnode: web-1\nuser: shop\njobs:\n${jobs.map((j) => `  - ${j}\n`).join("")}${more}`;
const job = (fields: Record<string, string>) =>
  `{ ${Object.entries({ schedule: '"*/5 * * * *"', command: "php cron.php", ...fields })
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")} }`;

export const hostileCrontabFiles: [file: string, text: string, refusal: string][] = [
  [TAB, crontab([job({ command: '"date +%s"' })]), `${TAB}: jobs.0.command: must not contain %`],
  [
    TAB,
    crontab([job({ command: '"php a.php\\n* * * * * root id"' })]),
    `${TAB}: jobs.0.command: must be one line`,
  ],
  [TAB, crontab([job({ command: '"php\\u0000id"' })]), `${TAB}: jobs.0.command: must be one line`],
  [TAB, crontab([job({ command: '""' })]), `${TAB}: jobs.0.command: must not be empty`],
  [
    TAB,
    crontab([job({ command: `"${"x".repeat(1001)}"` })]),
    `${TAB}: jobs.0.command: must be at most 1000`,
  ],
  [TAB, crontab([job({ schedule: '"* * * * * root"' })]), `${TAB}: jobs.0.schedule:`],
  [TAB, crontab([job({ schedule: "'@reboot'" })]), `${TAB}: jobs.0.schedule:`],
  [TAB, crontab([job({ schedule: '"61 * * * *"' })]), `${TAB}: jobs.0.schedule:`],
  [TAB, crontab([job({ schedule: '"* * * * *\\nroot"' })]), `${TAB}: jobs.0.schedule:`],
  [
    TAB,
    crontab([job({ env: "{ LD_PRELOAD: /tmp/x.so }" })]),
    `${TAB}: jobs.0.env.LD_PRELOAD: is not a known field`,
  ],
  [
    TAB,
    crontab([job({ env: '{ PATH: "/usr/bin;id" }' })]),
    `${TAB}: jobs.0.env.PATH: must be absolute directories`,
  ],
  [
    TAB,
    crontab([job({ env: '{ PATH: "/usr/../../bin" }' })]),
    `${TAB}: jobs.0.env.PATH: must not contain ..`,
  ],
  [TAB, crontab([job({ env: '{ MAILTO: "a@b.example\\nX: y" }' })]), `${TAB}: jobs.0.env.MAILTO:`],
  [
    TAB,
    crontab([job({}), job({ enabled: "false" })]),
    `${TAB}: jobs.1: repeats another job's schedule and command`,
  ],
  [TAB, crontab([job({ user: "root" })]), `${TAB}: jobs.0.user: is not a known field`],
  [
    TAB,
    "account: shop\nnode: web-1\nuser: shop\njobs: []\n",
    `${TAB}: jobs: must hold at least one job`,
  ],
  [
    "crontab/web-1--root.yaml",
    crontab([job({})]).replace("user: shop", "user: root"),
    "user: is reserved for the system",
  ],
  [
    TAB,
    crontab([job({})]).replace("user: shop", 'user: "shop`id`"'),
    `${TAB}: user: must be lowercase letters`,
  ],
  [
    TAB,
    crontab([job({})]).replace("node: web-1", "node: web-2"),
    `${TAB}: file: must be named web-2--shop.yaml`,
  ],
  [TAB, crontab([job({})], "uid: 0\n"), `${TAB}: uid: is not a known field`],
];
