// `@steward/contracts/testing`: hostile values for the shared validators, for the tests of
// both sides of the wire (the panel's API tests and the agent's second check). Test support,
// never imported by shipped code.

/** Domain names a site must never accept. */
export const BAD_DOMAIN_NAMES = [
  "example.com; include /etc/passwd",
  "exa mple.com",
  "example.com{",
  "example.com}",
  'example.com"',
  "example.com'",
  "$host.example.com",
  "`id`.example.com",
  "example.com\nserver_name evil",
  "a\u0000b.com",
  "..example.com",
  "a..b.com",
  ".example.com",
  "-example.com",
  "example-.com",
  "example.com:8080",
  "http://example.com",
  "example.com/path",
  "*.example.com",
  `${"a".repeat(64)}.com`,
  `${Array.from({ length: 40 }, () => "abcdefg").join(".")}.com`,
  "localhost",
  "127.0.0.1",
  "",
];

/**
 * Names and messages that must reach a notification's reader as plain characters in every
 * output format: markup, Markdown and Slack link syntax, mentions, template syntax, prototype
 * keys, control and bidirectional characters.
 */
export const HOSTILE_TEXT = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "[click me](http://evil.example/)",
  "![pixel](http://evil.example/p.png)",
  "<http://evil.example|click me>",
  "<!channel> <@U123456> @everyone @here",
  "*bold* _italic_ ~strike~ `code` ||spoiler||",
  "# heading\n- item\n> quote",
  "{{ event.id }} {% raw %}{{ fields }}{% endraw %}",
  "{% include '/etc/passwd' %}",
  "__proto__",
  "constructor.prototype",
  "&amp; &lt;b&gt; \\*not escaped\\*",
  "javascript:alert(1)",
  "line one\r\nResolved: all good\u2028again",
  "a\u0000b\u001bc\u007fd",
  "evil\u202Egnp.exe",
];

/** Database and user names no engine may get (issue 14's hostile list). */
export const BAD_DATABASE_NAMES = [
  "shop'; drop database mysql; --",
  'shop"',
  "shop`",
  "shop;",
  "shop--x",
  "a\u0000b",
  "a".repeat(200),
  "select",
  "user",
  "table",
  "mysql",
  "information_schema",
  "postgres",
  "template1",
  "pg_shop",
  "Shop",
  "1shop",
  "shop-db",
  "shop db",
  "shop.db",
  "shop\n",
  "",
];

/** Git URLs an app's source must never accept (issue 16: transports, local paths, options). */
export const BAD_GIT_URLS = [
  "ext::sh -c touch% /tmp/pwned",
  "fd::17",
  "file:///etc",
  "file://localhost/srv/repo.git",
  "/srv/repo.git",
  "./repo",
  "../repo.git",
  "~/repo.git",
  "--upload-pack=touch /tmp/pwned",
  "-oProxyCommand=id",
  "ssh://-oProxyCommand=id/x",
  "git@-oProxyCommand=id:x",
  "git@host:-x",
  "https://host/--upload-pack=id",
  "https://user:token@example.com/org/repo.git",
  "http://example.com/org/repo.git",
  "git://example.com/org/repo.git",
  "https://example.com/org/../../etc",
  "https://example.com/org/repo.git\n--upload-pack=id",
  "https://example.com/org/re po.git",
  "https://exa`id`mple.com/repo.git",
  "https://example.com/repo.git;id",
  "https://example.com/repo'.git",
  "https://example.com/a\u0000b",
  `https://example.com/${"a".repeat(500)}`,
  "",
];

/** Refs `git check-ref-format` (or Steward) refuses. */
export const BAD_GIT_REFS = [
  "-main",
  "--upload-pack=id",
  "main..dev",
  "main@{1}",
  "@",
  "ma in",
  "main;id",
  "main\nother",
  "a\u0000b",
  "feature/.hidden",
  "topic.lock",
  "main/",
  "/main",
  "a//b",
  "main.",
  "ma~in",
  "ma^in",
  "ma:in",
  "ma?in",
  "ma*in",
  "ma[in",
  "ma\\in",
  "r".repeat(201),
];

/** System user names a hosting account must never get (issue 19). */
export const BAD_SYS_USER_NAMES = [
  "root",
  "daemon",
  "www-data",
  "sshd",
  "steward",
  "systemd-network",
  "a".repeat(33),
  ".hidden",
  "-dash",
  "_under",
  "1digit",
  "Upper",
  "al ice",
  "alice;id",
  "alice`id`",
  "alice'",
  'alice"',
  "alice\nroot",
  "ali\u0000ce",
  "../etc",
  "alice.dot",
  "alice:x",
  "shop-cgi",
];

/** Homes that would leave the account's home. */
export const BAD_HOME_PATHS = [
  "..",
  "../other",
  "team/../../etc",
  "team/..",
  "/etc",
  "./team",
  ".ssh",
  "team//x",
  "team/",
  "te am",
  "team;id",
  "team\nx",
  "te\u0000am",
  "`id`",
  `${"a".repeat(201)}`,
];

/** Public key lines that must be refused: options, several lines, junk. */
export const BAD_SSH_KEYS = [
  'command="/bin/sh" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vmCqI4KqDW4Wm0Jk3C6ZQk1h9xN0wYbTf0Vx4bY3e a@b',
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vmCqI4KqDW4Wm0Jk3C6ZQk1h9xN0wYbTf0Vx4bY3e a\nssh-rsa AAAA b",
  "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ== wrongtype",
  "ssh-dss AAAAB3NzaC1kc3MAAACBAP== old",
  "ssh-ed25519 not-base64!",
  "ssh-ed25519",
  "no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vmCqI4KqDW4Wm0Jk3C6ZQk1h9xN0wYbTf0Vx4bY3e",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0vmCqI4KqDW4Wm0Jk3C6ZQk1h9xN0wYbTf0Vx4bY3e a\u0000b",
  "",
];

/** Cron commands that must be refused: extra lines, `%`, NUL, control characters, too long. */
export const BAD_CRON_COMMANDS = [
  "true\n* * * * * root id",
  "true\r* * * * * root id",
  "true\u0000id",
  "date +%F",
  "echo 100%",
  "a\u001b[2Jb",
  "",
  " true",
  "x".repeat(1001),
];

/** Schedules cron.d must never get: out of range, six fields, words of other crons, shell. */
export const BAD_CRON_SCHEDULES = [
  "61 * * * *",
  "* 24 * * *",
  "* * 32 * *",
  "* * * 13 *",
  "* * * * 8",
  "*/0 * * * *",
  "* * * * * *",
  "* * * * * root",
  "* * * *",
  "@reboot",
  "@every 5m",
  "*;id * * * *",
  "* * * * `id`",
  "* * * * *\n* * * * *",
  "* * * * *\u0000",
  `${"1,".repeat(100)}1 * * * *`,
];
