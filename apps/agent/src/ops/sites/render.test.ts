import { type SiteApplyInput, siteApplyInput } from "@steward/contracts/agent";
import { describe, expect, it } from "vitest";
import { RenderError } from "./escape.ts";
import { siteNames } from "./names.ts";
import { renderPool } from "./php-pool.ts";
import { readRendered, renderSite } from "./render.ts";

const paths = {
  home: "/srv/sites/s1",
  documentRoot: "/srv/sites/s1/public",
  logDir: "/var/log/steward/sites/s1",
  phpSocket: "/run/php/steward-site-s1.sock",
  pagesDir: "/srv/sites/.steward",
  authDir: "/srv/sites/.steward/auth/s1",
};
const listen = { address: "127.0.0.2", port: 8080 };
const site = (over: Partial<SiteApplyInput> = {}) =>
  siteApplyInput.parse({
    id: "s1",
    kind: "static",
    domains: ["example.com"],
    user: "web1",
    ...over,
  });

/** The server blocks of a rendered file: their directives, one string each, by name. */
function blocks(text: string) {
  const out: { names: string[]; lines: string[] }[] = [];
  for (const m of text.matchAll(/^server \{\n([\s\S]*?)^\}$/gm)) {
    const lines = (m[1] ?? "")
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const names = (lines.find((l) => l.startsWith("server_name "))?.slice(12, -1) ?? "").split(" ");
    out.push({ names, lines });
  }
  return out;
}

/** Braces balance and every directive line ends with ; { or } (a parse-ish check). */
function wellFormed(text: string) {
  let depth = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    expect(line).toMatch(/[;{}]$/);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
}

describe("renderSite", () => {
  it("serves a static site from its document root, with its own logs", () => {
    const text = renderSite(site({ domains: ["example.com", "example.org"] }), paths, listen);
    wellFormed(text);
    const [main, ...rest] = blocks(text);
    expect(rest).toEqual([]);
    expect(main?.names).toEqual(["example.com", "example.org"]);
    expect(main?.lines).toContain("listen 127.0.0.2:8080;");
    expect(main?.lines).toContain("root /srv/sites/s1/public;");
    expect(main?.lines).toContain("disable_symlinks if_not_owner from=/srv/sites/s1;");
    expect(main?.lines).toContain("access_log /var/log/steward/sites/s1/access.log;");
    expect(main?.lines).toContain("error_log /var/log/steward/sites/s1/error.log;");
    expect(readRendered(text)).toMatchObject({
      id: "s1",
      kind: "static",
      primary: "example.com",
      root: "/srv/sites/s1/public",
      served: ["example.com", "example.org"],
      redirects: [],
    });
  });

  it("listens on every address when none is configured", () => {
    expect(renderSite(site(), paths, { port: 80 })).toContain("    listen 80;\n");
  });

  it("passes .php to the site's pool with SCRIPT_FILENAME from the document root", () => {
    const text = renderSite(site({ kind: "php" }), paths, listen);
    wellFormed(text);
    expect(text).toContain("location ~ \\.php$ {");
    expect(text).toContain("fastcgi_pass unix:/run/php/steward-site-s1.sock;");
    expect(text).toContain("fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;");
    expect(text).toContain("try_files $uri =404;");
    expect(text).toContain("disable_symlinks if_not_owner from=/srv/sites/s1;");
    // the upload directories' deny comes first: nginx takes the first matching regex
    const deny = text.indexOf("location ~* /(?:uploads|files)/.*\\.php$ {\n        deny all;");
    expect(deny).toBeGreaterThan(0);
    expect(deny).toBeLessThan(text.indexOf("location ~ \\.php$ {"));
  });

  it("proxies to the checked addresses only, with forwarding headers", () => {
    const text = renderSite(
      site({ kind: "proxy", upstream: "http://app.example.net:3000" }),
      paths,
      listen,
      {
        scheme: "http",
        name: "app.example.net",
        port: 3000,
        addresses: ["192.0.2.7", "2001:db8::7"],
      },
    );
    wellFormed(text);
    expect(text).toContain(
      "upstream steward_s1 {\n    server 192.0.2.7:3000;\n    server [2001:db8::7]:3000;\n}\n",
    );
    expect(text).toContain("proxy_pass http://steward_s1;");
    // nginx is never given the name: it would resolve it again at every reload
    expect(text).not.toContain("app.example.net");
    expect(text).toContain("proxy_set_header Host $host;");
    expect(text).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    expect(text).not.toContain("root ");
    expect(readRendered(text)).toMatchObject({ id: "s1", kind: "proxy", served: ["example.com"] });
  });

  it("keeps the upstream's name for TLS when it is https", () => {
    const text = renderSite(
      site({ kind: "proxy", upstream: "https://app.example.net:443" }),
      paths,
      listen,
      { scheme: "https", name: "app.example.net", port: 443, addresses: ["192.0.2.7"] },
    );
    expect(text).toContain("proxy_pass https://steward_s1;");
    expect(text).toContain("proxy_ssl_server_name on;");
    expect(text).toContain("proxy_ssl_name app.example.net;");
  });

  it("refuses to render a proxy whose upstream was not checked", () => {
    const proxy = site({ kind: "proxy", upstream: "http://app.example.net:3000" });
    expect(() => renderSite(proxy, paths, listen)).toThrow(RenderError);
    const none = { scheme: "http" as const, name: null, port: 3000, addresses: [] };
    expect(() => renderSite(proxy, paths, listen, none)).toThrow(RenderError);
  });

  it("answers a suspended site with the agent's page and 503, whatever its kind", () => {
    const text = renderSite(site({ kind: "php", suspended: true }), paths, listen);
    wellFormed(text);
    expect(text).toContain("root /srv/sites/.steward;");
    expect(text).toContain("error_page 503 /suspended.html;");
    expect(text).toContain("return 503;");
    expect(text).not.toContain("fastcgi_pass");
    expect(readRendered(text)?.suspended).toBe(true);
  });

  it("redirects aliases and the www counterpart to the primary name, keeping the URI", () => {
    const text = renderSite(
      site({ domains: ["example.com"], aliases: ["example.net"], redirect: "to-www" }),
      paths,
      listen,
    );
    wellFormed(text);
    const [main, redirect] = blocks(text);
    expect(main?.names).toEqual(["www.example.com"]);
    expect(redirect?.names).toEqual(["example.com", "example.net"]);
    expect(redirect?.lines).toContain("return 301 $scheme://www.example.com$request_uri;");
    expect(readRendered(text)).toMatchObject({
      served: ["www.example.com"],
      redirects: [{ target: "www.example.com", names: ["example.com", "example.net"] }],
    });
  });

  it("to-non-www serves the bare name; each domain redirects to its own form", () => {
    const n = siteNames(site({ domains: ["www.a.com", "b.com"], redirect: "to-non-www" }));
    expect(n.served).toEqual(["a.com", "b.com"]);
    expect(n.redirects).toEqual([
      { target: "a.com", names: ["www.a.com"] },
      { target: "b.com", names: ["www.b.com"] },
    ]);
  });

  it("refuses an alias that is also served", () => {
    expect(() =>
      siteNames(site({ domains: ["a.com"], aliases: ["www.a.com"], redirect: "to-www" })),
    ).toThrow(RenderError);
  });
});

const hostile = [
  "a.com; include /etc/shadow",
  "a.com}",
  "a.com{",
  'a.com"',
  "a.com'",
  "$host.com",
  "a .com",
  "a.com\nserver_name b.com",
  "a.com\u0000",
  "a.com#",
  "../../etc",
  "",
];

describe("hostile input", () => {
  it.each(hostile)("is refused by the schema and by the renderer: %j", (bad) => {
    for (const field of ["domains", "aliases"] as const)
      expect(siteApplyInput.safeParse({ ...site(), [field]: [bad] }).success).toBe(false);
    for (const field of ["user", "root", "id"] as const)
      expect(siteApplyInput.safeParse({ ...site(), [field]: bad }).success).toBe(false);
    expect(
      siteApplyInput.safeParse({ ...site(), kind: "proxy", upstream: `http://${bad}:80` }).success,
    ).toBe(false);
    // as if the schema had been bypassed: the renderer still refuses
    const raw = (over: object) => ({ ...site(), ...over }) as SiteApplyInput;
    expect(() => renderSite(raw({ domains: [bad] }), paths, listen)).toThrow(RenderError);
    expect(() => renderSite(raw({ aliases: [bad] }), paths, listen)).toThrow(RenderError);
    expect(() => renderSite(raw({ id: bad }), paths, listen)).toThrow(RenderError);
    const proxy = raw({ kind: "proxy", upstream: "http://a.example:80" });
    for (const pinned of [
      { scheme: "https" as const, name: bad, port: 443, addresses: ["192.0.2.7"] },
      { scheme: "http" as const, name: null, port: 80, addresses: [bad] },
    ])
      expect(() => renderSite(proxy, paths, listen, pinned)).toThrow(RenderError);
    expect(() => renderSite(site(), { ...paths, documentRoot: `/srv/${bad}` }, listen)).toThrow(
      RenderError,
    );
    // an empty address means "every address"
    if (bad)
      expect(() => renderSite(site(), paths, { ...listen, address: bad })).toThrow(RenderError);
    expect(() => renderPool({ ...pool, user: bad })).toThrow(RenderError);
    expect(() => renderPool({ ...pool, home: `/srv/${bad}` })).toThrow(RenderError);
  });

  it("never emits an upstream with a path, credentials or a second directive", () => {
    for (const up of [
      "http://a.com:80/x",
      "http://user@a.com:80",
      "http://a.com:80;",
      "http://a.com:99999",
    ]) {
      expect(siteApplyInput.safeParse({ ...site(), kind: "proxy", upstream: up }).success).toBe(
        false,
      );
      // the renderer never writes the tenant's text: only the checked addresses and port
      const proxy = { ...site(), kind: "proxy", upstream: up } as SiteApplyInput;
      const text = renderSite(proxy, paths, listen, {
        scheme: "http",
        name: "a.com",
        port: 80,
        addresses: ["192.0.2.7"],
      });
      expect(text).not.toContain(up);
    }
  });
});

const pool = {
  id: "s1",
  user: "web1",
  home: "/srv/sites/s1",
  socket: "/run/php/steward-site-s1.sock",
  nginxUser: "www-data",
  nginxGroup: "www-data",
  allowExec: false,
  settings: {},
};

describe("renderPool", () => {
  it("runs as the site user, on a socket for nginx only, on demand, inside the home", () => {
    const lines = renderPool(pool).split("\n");
    expect(lines).toContain("[steward-site-s1]");
    expect(lines).toContain("user = web1");
    expect(lines).toContain("listen = /run/php/steward-site-s1.sock");
    expect(lines).toContain("listen.owner = www-data");
    expect(lines).toContain("listen.mode = 0660");
    expect(lines).toContain("pm = ondemand");
    expect(lines).toContain("php_admin_value[open_basedir] = /srv/sites/s1/");
    expect(lines).toContain("php_admin_value[session.save_path] = /srv/sites/s1/tmp");
    expect(lines).toContain("php_admin_value[upload_tmp_dir] = /srv/sites/s1/tmp");
  });

  it("disables the functions that start processes unless the site allows them", () => {
    const off = renderPool(pool).split("\n");
    expect(off).toContain(
      "php_admin_value[disable_functions] = exec,passthru,pcntl_exec,pcntl_fork,popen,proc_open,putenv,shell_exec,system",
    );
    expect(renderPool({ ...pool, allowExec: true })).not.toContain("disable_functions");
  });
});

describe("renderSite with a certificate", () => {
  const tls = { chain: "/etc/steward/tls/s1/fullchain.pem", key: "/etc/steward/tls/s1/key.pem" };
  const withTls = (hsts: boolean, port = 443) =>
    renderSite(site({ aliases: ["old.example.com"], redirect: "to-www" }), paths, listen, null, {
      ...tls,
      port,
      hsts,
    });

  it("answers challenges on port 80 ahead of the redirect to HTTPS, and serves the site over TLS", () => {
    const text = withTls(false);
    wellFormed(text);
    const [http, https, ...redirects] = blocks(text);
    expect(http?.lines).toContain("location ^~ /.well-known/acme-challenge/ {");
    expect(http?.lines).toContain("return 301 https://$host$request_uri;");
    expect(http?.lines.some((l) => l.startsWith("root "))).toBe(false);
    expect(https?.names).toEqual(["www.example.com"]);
    expect(https?.lines).toContain("listen 127.0.0.2:443 ssl http2;");
    expect(https?.lines).toContain(`ssl_certificate ${tls.chain};`);
    expect(https?.lines).toContain("ssl_protocols TLSv1.2 TLSv1.3;");
    expect(https?.lines).toContain("root /srv/sites/s1/public;");
    expect(text).not.toMatch(/ssl_stapling|Strict-Transport-Security|TLSv1(\.1)?[ ;]/);
    for (const r of redirects) {
      expect(r.lines).toContain("location ^~ /.well-known/acme-challenge/ {");
      expect(r.lines).toContain("return 301 https://www.example.com$request_uri;");
      expect(r.lines).toContain("listen 127.0.0.2:443 ssl http2;");
    }
    expect(readRendered(text)).toMatchObject({
      tlsPort: 443,
      served: ["www.example.com"],
      root: "/srv/sites/s1/public",
      redirects: [{ target: "www.example.com", names: ["example.com", "old.example.com"] }],
    });
  });

  it("adds HSTS when asked, and names a port other than 443 in redirects", () => {
    const text = withTls(true, 8443);
    expect(text).toContain('add_header Strict-Transport-Security "max-age=63072000" always;');
    expect(text).toContain("return 301 https://$host:8443$request_uri;");
    expect(readRendered(text)?.tlsPort).toBe(8443);
  });

  it("without a certificate, still answers challenges in every server block", () => {
    const text = renderSite(site({ aliases: ["old.example.com"], suspended: true }), paths, listen);
    for (const b of blocks(text))
      expect(b.lines).toContain("location ^~ /.well-known/acme-challenge/ {");
    expect(readRendered(text)?.tlsPort).toBeNull();
  });
});
