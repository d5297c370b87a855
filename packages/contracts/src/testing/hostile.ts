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

/** Mail local parts no map or passwd-file may get (issue 18's hostile list). */
export const BAD_MAIL_LOCAL_PARTS = [
  "an\nna",
  "anna\r\nRCPT TO:<x@evil.test>",
  "an%na",
  "an!na",
  '"anna"',
  "an'na",
  "an`na",
  "an;na",
  "an--na;",
  "an..na",
  ".anna",
  "anna.",
  "an na",
  "an#na",
  "an:na",
  "an,na",
  "an@na",
  "an*na",
  "an\u0000na",
  "../../etc",
  "a".repeat(65),
  "a".repeat(300),
  "ännä",
  "",
];
