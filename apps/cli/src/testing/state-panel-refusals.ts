// State files only a panel can refuse (what they refer to must exist there), and the refusal
// each gets (cli-state.test.ts): the file's path, its text, and what the refusal contains.
// panelRefusals are refused before any change; applyRefusals by the panel, at apply.
import { hostingFiles } from "./state-hosting.ts";

/** One of the app files the round trip exports, changed. */
const appChanged = (file: string, from: string, to: string) =>
  (hostingFiles[file] ?? "").replace(from, to);
export const panelRefusals: [file: string, text: string, refusal: string][] = [
  [
    "account/evil.yaml",
    "slug: evil\nname: Evil\nowner: root\n",
    "account/evil.yaml: owner: is not a known field",
  ],
  [
    "site/ghost.example.yaml",
    "account: shop\nnode: ghost\nkind: static\ndomains: [ghost.example]\n",
    "site/ghost.example.yaml: node: node ghost does not exist",
  ],
  [
    "grant/group-nobody--global.yaml",
    "principal: { group: nobody }\nscope: global\nrole: admin\n",
    "grant/group-nobody--global.yaml: principal.group: group nobody does not exist",
  ],
  ["node/web-2.yaml", "name: web-2\n", "node/web-2.yaml: name: node web-2 does not exist"],
  [
    "status-page/up.yaml",
    "slug: up\naccount: shop\ntitle: Up\nmonitors: [{ monitor: shop--ghost, name: G }]\n",
    "status-page/up.yaml: monitors.0.monitor: monitor shop--ghost does not exist",
  ],
  [
    "notification-rule/shop--down.yaml",
    "name: Down\naccount: shop\nchannels: [shop--ghost]\nsettings: { eventTypes: [site.] }\n",
    "notification-rule/shop--down.yaml: channels.0: channel shop--ghost does not exist",
  ],
  [
    "notification-rule/shop--down.yaml",
    "name: Down\naccount: shop\nchannels: [shop--shop-alerts]\nsettings: { eventTypes: [monitor.], scope: { targetType: monitor, target: shop--ghost } }\n",
    "notification-rule/shop--down.yaml: settings.scope.target: monitor shop--ghost does not exist",
  ],
  [
    "backup-destination/dumps.yaml",
    "name: Dumps\nsettings: { kind: local, node: ghost, path: /var/backups }\n",
    "backup-destination/dumps.yaml: settings.node: node ghost does not exist",
  ],
  [
    "system-user/ghost--x.yaml",
    "kind: main\nname: x\naccount: shop\nnode: ghost\n",
    "system-user/ghost--x.yaml: node: node ghost does not exist",
  ],
  [
    "system-user/web-1--x.yaml",
    "kind: main\nname: x\naccount: ghost\nnode: web-1\n",
    "system-user/web-1--x.yaml: account: account ghost does not exist",
  ],
  [
    "system-user/web-1--deploy.yaml",
    "kind: secondary\nname: deploy\nhome: team/api\naccount: shop\nnode: web-1\nshell: restricted\n",
    "system-user/web-1--deploy.yaml: home: cannot change in place",
  ],
  [
    "crontab/web-1--ghost.yaml",
    "account: shop\nnode: web-1\nuser: ghost\njobs: [{ schedule: '@daily', command: id }]\n",
    "crontab/web-1--ghost.yaml: user: system user web-1--ghost does not exist",
  ],
  [
    "crontab/web-1--deploy.yaml",
    "account: blog\nnode: web-1\nuser: deploy\njobs: [{ schedule: '@daily', command: id }]\n",
    "crontab/web-1--deploy.yaml: account: cannot change in place",
  ],
  // an app has no change in place but its compose file: a part of a fixed field too
  [
    "app/web-1--whoami.yaml",
    appChanged("app/web-1--whoami.yaml", "GREETING: hello", "GREETING: hi"),
    "app/web-1--whoami.yaml: env.GREETING: cannot change in place",
  ],
  [
    "app/web-1--shop-api.yaml",
    appChanged("app/web-1--shop-api.yaml", "ref: release", "ref: main"),
    "app/web-1--shop-api.yaml: git.ref: cannot change in place",
  ],
  [
    "app/ghost--whoami.yaml",
    "source: image\nname: whoami\naccount: shop\nnode: ghost\nimage: traefik/whoami\n",
    "app/ghost--whoami.yaml: node: node ghost does not exist",
  ],
];

export const applyRefusals: [file: string, text: string, refusal: RegExp][] = [
  // a crontab of account shop naming blog's user: refused, naming nothing of blog's
  [
    "crontab/web-1--blog.yaml",
    "account: shop\nnode: web-1\nuser: blog\njobs: [{ schedule: '@daily', command: id }]\n",
    /^steward: crontab\/web-1--blog\.yaml: systemUser: create refused: must be a system user of the account\n$/,
  ],
  // a git remote inside the node's network: the node's outbound (SSRF) policy refuses it
  [
    "app/web-1--inside.yaml",
    "source: git\nname: inside\naccount: shop\nnode: web-1\ngit: { url: https://10.0.0.5/acme/x.git, ref: main, dockerfile: Dockerfile }\n",
    /^steward: app\/web-1--inside\.yaml: git\.url: create refused: \S/,
  ],
];
