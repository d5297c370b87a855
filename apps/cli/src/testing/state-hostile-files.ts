// Hostile state files and the refusal each gets (state/files.test.ts): the file's path, its
// text, and what the refusal starts with or contains (file and field).
// a billion laughs: each level names the one before it nine times
const levels = "abcdefghi";
const bomb = [...levels]
  .map((l, i) =>
    i === 0 ? `${l}: &${l} [lol]` : `${l}: &${l} [${`*${levels[i - 1]},`.repeat(9).slice(0, -1)}]`,
  )
  .join("\n");
/** An external database server "Main", with some fields (YAML values) instead of the usual. */
const dbServer = (fields: Record<string, string>) =>
  Object.entries({
    ...{ name: "Main", engine: "mariadb", placement: "external", host: "db.example" },
    ...{ port: "3306", adminUser: "root", tls: "require" },
    adminPassword: "{ secret: database-server/main/admin-password }",
    ...fields,
  })
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
/** Monitor "Up" of account shop, with more lines. */
const monitor = (extra: string) =>
  `name: Up\naccount: shop\n${extra.includes("settings:") ? "" : "settings: { kind: tcp, host: db.example, port: 5432 }\n"}${extra}\n`;
const site = (extra: string) => `account: shop\nnode: web-1\nkind: static\n${extra}`;

export const hostileFiles: [file: string, text: string, refusal: string][] = [
  [
    "account/evil.yaml",
    "slug: evil\nname: Evil\nowner: root\n",
    "account/evil.yaml: owner: is not a known field",
  ],
  ["account/x.yaml", 'slug: "x;--"\nname: X\n', "account/x.yaml: slug: must be lowercase"],
  [
    "account/select.yaml",
    'slug: select\nname: "a\\u0000b"\n',
    "account/select.yaml: name: must not contain control",
  ],
  [
    "account/shop2.yaml",
    "slug: shop\nname: Shop\n",
    "account/shop2.yaml: file: must be named shop.yaml",
  ],
  ["account/bomb.yaml", `${bomb}\n`, "account/bomb.yaml: file: must not use anchors or aliases"],
  [
    "account/tag.yaml",
    "slug: !!binary aGk=\nname: T\n",
    "account/tag.yaml: file: must not use tags",
  ],
  [
    "account/twice.yaml",
    "slug: twice\nslug: twice\nname: T\n",
    "account/twice.yaml: file: is not valid YAML",
  ],
  [
    "account/nul.yaml",
    "slug: nul\u0000\nname: N\n",
    "account/nul.yaml: file: must not contain NUL bytes",
  ],
  [
    "account/big.yaml",
    `name: ${"x".repeat(10 * 1024 * 1024)}\nslug: big\n`,
    "account/big.yaml: file: must be at most",
  ],
  ["account/list.yaml", "- slug: list\n", "account/list.yaml: file: "],
  ["zone/a..b.yaml", "name: a..b\n", "zone/a..b.yaml: file: name must not contain .."],
  ["zone/Shop.yaml", "name: shop\n", "zone/Shop.yaml: file: name must be lowercase"],
  ["zone/notes.txt", "name: x\n", "zone/notes.txt: file: must be named <name>.yaml"],
  [
    "site/x.example.yaml",
    site('domains: ["x.example\\n.evil"]\n'),
    "site/x.example.yaml: domains.0:",
  ],
  [
    "site/x.example.yaml",
    site(`domains: ["${"a".repeat(250)}.example"]\n`),
    "site/x.example.yaml: domains.0:",
  ],
  [
    "site/x.example.yaml",
    "account: shop\nnode: '`id`'\nkind: static\ndomains: [x.example]\n",
    "site/x.example.yaml: node: must be lowercase",
  ],
  [
    "site/x.example.yaml",
    site("domains: [x.example]\nroot: ../../etc\n"),
    "site/x.example.yaml: root:",
  ],
  [
    "site/x.example.yaml",
    site("domains: [x.example]\nupstream: http://a:1\n"),
    "site/x.example.yaml: upstream: is only for proxy sites",
  ],
  [
    "grant/user-a@b.example--global.yaml",
    'principal: { user: "a@b.example\\nx" }\nscope: global\nrole: admin\n',
    "principal.user:",
  ],
  [
    "grant/group-ops--global.yaml",
    "principal: { group: ops }\nscope: global\nrole: none\n",
    "role:",
  ],
  ["sites/x.yaml", "x: 1\n", "sites: directory: is not a kind"],
  [
    "mailbox/info@shop.example.yaml",
    "address: info@shop.example\npassword: { secret: mailbox/root@shop.example }\n",
    "mailbox/info@shop.example.yaml: password.secret: must be { secret: mailbox/<address> }",
  ],
  [
    "mailbox/info@shop.example.yaml",
    "address: info@shop.example\npassword: hunter2hunter2\n",
    "mailbox/info@shop.example.yaml: password:",
  ],
  [
    "zone/shop.example.yaml",
    "name: shop.example\naccount: shop\nnode: web-1\nrecords: [{ name: www, type: A, value: 192.0.2.1 }]\n",
    "zone/shop.example.yaml: records: a zone needs at least one NS record at @",
  ],
  [
    "zone/shop.example.yaml",
    'name: shop.example\naccount: shop\nnode: web-1\nrecords: [{ name: "@", type: A, value: "1.2.3.4; rm" }]\n',
    "zone/shop.example.yaml: records.0.value: must be an IPv4 address",
  ],
  [
    "zone/shop.example.yaml",
    'name: shop.example\naccount: shop\nnode: web-1\nrecords: [{ name: "a\\nb", type: A, value: 192.0.2.1 }]\n',
    "zone/shop.example.yaml: records.0.name:",
  ],
  ["mail-domain/x.example.yaml", "name: x.example\naccount: shop\nnode: web-1;rm\n", "node:"],
  [
    "mail-alias/sales@shop.example.yaml",
    'address: sales@shop.example\ndestinations: ["info@shop.example\\nBcc: x@evil.example"]\n',
    "mail-alias/sales@shop.example.yaml: destinations.0:",
  ],
  [
    "database-server/main.yaml",
    dbServer({ host: '"db.example; rm -rf /"' }),
    "database-server/main.yaml: host:",
  ],
  ["database-server/main.yaml", dbServer({ port: "70000" }), "database-server/main.yaml: port:"],
  [
    "database-server/main.yaml",
    dbServer({ adminUser: '"root\\u0000"' }),
    "database-server/main.yaml: adminUser: must not contain control characters",
  ],
  [
    "database-server/main.yaml",
    dbServer({ adminPassword: "{ secret: mailbox/info@shop.example }" }),
    "database-server/main.yaml: adminPassword.secret: must be { secret: database-server/<file name>/admin-password }",
  ],
  [
    "database-server/main.yaml",
    dbServer({ adminPassword: "hunter2" }),
    "database-server/main.yaml: adminPassword:",
  ],
  [
    "database-server/main.yaml",
    "name: Main\nengine: mariadb\nplacement: cloud\n",
    "database-server/main.yaml: placement: must be on-node or external",
  ],
  [
    "database-server/main.yaml",
    "name: Main\nengine: oracle\nplacement: on-node\nnode: web-1\n",
    "database-server/main.yaml: engine:",
  ],
  [
    "database-server/main.yaml",
    'name: "Main\\nDROP"\nengine: mariadb\nplacement: on-node\nnode: web-1\n',
    "database-server/main.yaml: name:",
  ],
  [
    "database-server/other.yaml",
    "name: Main\nengine: mariadb\nplacement: on-node\nnode: web-1\n",
    "database-server/other.yaml: file: must be named main.yaml",
  ],
  [
    "monitor/shop--up.yaml",
    monitor("locations: [panel, web-1;rm]"),
    "monitor/shop--up.yaml: locations.1:",
  ],
  [
    "monitor/shop--up.yaml",
    monitor(
      "settings: { kind: http, url: 'http://x.example/', headers: { 'X-A': \"b\\r\\nX-B: c\" } }",
    ),
    "monitor/shop--up.yaml: settings.headers",
  ],
  [
    "monitor/shop--up.yaml",
    monitor("settings: { kind: tcp, host: 'db.example;rm', port: 5432 }"),
    "monitor/shop--up.yaml: settings.host:",
  ],
  [
    "monitor/shop--up.yaml",
    monitor("timeoutSeconds: 60\nintervalSeconds: 60"),
    "monitor/shop--up.yaml: timeoutSeconds: must be shorter than the interval",
  ],
  [
    "monitor/shop--up.yaml",
    monitor("locations: [panel]\nquorum: 2"),
    "monitor/shop--up.yaml: quorum: must be at most the number of locations",
  ],
  ["monitor/up.yaml", monitor(""), "monitor/up.yaml: file: must be named shop--up.yaml"],
  [
    "status-page/api.yaml",
    "slug: api\naccount: shop\ntitle: API\n",
    "status-page/api.yaml: slug: is reserved",
  ],
  [
    "status-page/up.yaml",
    "slug: up\naccount: shop\ntitle: Up\nmonitors: [{ monitor: blog--blog-example, name: Blog }]\n",
    "status-page/up.yaml: monitors.0.monitor: must be a monitor of account shop",
  ],
  [
    "status-page/up.yaml",
    "slug: up\naccount: shop\ntitle: Up\nmonitors: [{ monitor: ../../shop--x, name: X }]\n",
    "status-page/up.yaml: monitors.0.monitor:",
  ],
  [
    "status-page/up.yaml",
    'slug: up\naccount: shop\ntitle: "Up\\u0007"\n',
    "status-page/up.yaml: title: must not contain control",
  ],
  [
    "channel/shop--alerts.yaml",
    "name: Alerts\naccount: shop\nsettings: { kind: telegram, chatId: '1', botToken: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }\n",
    "channel/shop--alerts.yaml: settings.botToken:",
  ],
  [
    "channel/shop--alerts.yaml",
    "name: Alerts\naccount: shop\nsettings: { kind: telegram, chatId: '1', botToken: { secret: channel/shop--other/botToken } }\n",
    "channel/shop--alerts.yaml: settings.botToken.secret: must be { secret: channel/shop--alerts/botToken }",
  ],
  [
    "channel/shop--alerts.yaml",
    "name: Alerts\naccount: shop\nsettings: { kind: telegram, chatId: '1; rm -rf /', botToken: { secret: channel/shop--alerts/botToken } }\n",
    "channel/shop--alerts.yaml: settings.chatId: must be a chat id",
  ],
  [
    "channel/shop--alerts.yaml",
    "name: Alerts\naccount: shop\nsettings: { kind: fax }\n",
    "channel/shop--alerts.yaml: settings.kind:",
  ],
  [
    "channel/shop--alerts.yaml",
    'name: Alerts\naccount: shop\nsettings: { kind: email, host: "smtp.example\\nRCPT", from: a@b.example, to: [a@b.example] }\n',
    "channel/shop--alerts.yaml: settings.host:",
  ],
  [
    "mail-alias/sales@shop.example.yaml",
    "address: sales@shop.example\ndestinations: []\n",
    "mail-alias/sales@shop.example.yaml: destinations: must name at least one address",
  ],
  [
    "mail-alias/shop.example.yaml",
    "address: sales@shop.example\ncatchAll: shop.example\ndestinations: [info@shop.example]\n",
    "mail-alias/shop.example.yaml: address: give an address, or catchAll: <domain> (not both)",
  ],
  [
    "mail-alias/x@shop.example.yaml",
    'address: "x\'--@shop.example"\ndestinations: [info@shop.example]\n',
    "mail-alias/x@shop.example.yaml: address:",
  ],
];
