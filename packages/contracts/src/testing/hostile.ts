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
