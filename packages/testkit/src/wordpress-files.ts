// The files of a hermetic WordPress (./wordpress.ts): its wp-config.php, the php-fpm pool,
// the nginx server, the mu-plugin that sends WordPress's update checks to the local update
// source, a minimal theme, and the PHP bootstrap that runs code with WordPress loaded.

/** A PHP single-quoted string literal of `s`. */
export const phpString = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

export interface ConfigParts {
  dir: string;
  url: string;
  dbPort: number;
  dbName: string;
  dbUser: string;
  dbPassword: string;
  updateSource: string;
}

export function wpConfig(p: ConfigParts): string {
  const define = (name: string, value: string | boolean) =>
    `define(${phpString(name)}, ${typeof value === "boolean" ? String(value) : phpString(value)});`;
  return [
    "<?php",
    define("DB_NAME", p.dbName),
    define("DB_USER", p.dbUser),
    define("DB_PASSWORD", p.dbPassword),
    define("DB_HOST", `127.0.0.1:${p.dbPort}`),
    define("DB_CHARSET", "utf8mb4"),
    define("DB_COLLATE", ""),
    ...["AUTH", "SECURE_AUTH", "LOGGED_IN", "NONCE"].flatMap((k) => [
      define(`${k}_KEY`, `${k}-steward-test-key`),
      define(`${k}_SALT`, `${k}-steward-test-salt`),
    ]),
    define("WP_HOME", p.url),
    define("WP_SITEURL", p.url),
    // application passwords over plain HTTP
    define("WP_ENVIRONMENT_TYPE", "local"),
    define("FS_METHOD", "direct"),
    define("WP_TEMP_DIR", `${p.dir}/tmp/`),
    define("WP_AUTO_UPDATE_CORE", false),
    define("AUTOMATIC_UPDATER_DISABLED", true),
    define("DISABLE_WP_CRON", true),
    // nothing leaves the machine; the update source is on 127.0.0.1
    define("WP_HTTP_BLOCK_EXTERNAL", true),
    define("WP_ACCESSIBLE_HOSTS", "127.0.0.1"),
    define("STEWARD_TEST_UPDATE_SOURCE", p.updateSource),
    "$table_prefix = 'wp_';",
    "if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');",
    "require_once ABSPATH . 'wp-settings.php';",
    "",
  ].join("\n");
}

/** Sends api.wordpress.org's requests to the local update source, which may be downloaded from. */
export const updateSourcePlugin = `<?php
// Steward's tests: WordPress's update checks go to a local update source.
add_filter('pre_http_request', function ($pre, $args, $url) {
  if (parse_url($url, PHP_URL_HOST) !== 'api.wordpress.org') return $pre;
  $query = parse_url($url, PHP_URL_QUERY);
  $local = STEWARD_TEST_UPDATE_SOURCE . parse_url($url, PHP_URL_PATH) . ($query ? '?' . $query : '');
  return wp_remote_request($local, $args);
}, 10, 3);
add_filter('http_request_host_is_external', function ($external, $host) {
  return $external || $host === parse_url(STEWARD_TEST_UPDATE_SOURCE, PHP_URL_HOST);
}, 10, 2);
add_filter('http_allowed_safe_ports', function ($ports) {
  $ports[] = (int) parse_url(STEWARD_TEST_UPDATE_SOURCE, PHP_URL_PORT);
  return $ports;
});
`;

export const themeFiles = {
  "style.css": "/*\nTheme Name: Steward Test\nVersion: 1.0.0\n*/\n",
  "index.php":
    "<!doctype html><title><?php bloginfo('name'); ?></title><h1><?php bloginfo('name'); ?></h1>\n",
};

/** A small plugin the tests update: `hello-steward/hello-steward.php` at `version`. */
export const helloPlugin = (version: string, body = "") => ({
  "hello-steward/hello-steward.php": `<?php\n/*\nPlugin Name: Hello Steward\nVersion: ${version}\n*/\n${body}\n`,
});

export function poolConf(p: {
  name: string;
  socket: string;
  user: string | null;
  log: string;
  slowLog: string;
}) {
  return [
    `[${p.name}]`,
    p.user ? `user = ${p.user}` : "",
    `listen = ${p.socket}`,
    "listen.mode = 0666",
    "pm = ondemand",
    "pm.max_children = 4",
    // where a request that takes over 10 s was (its PHP stack): the site's logs() show it
    `slowlog = ${p.slowLog}`,
    "request_slowlog_timeout = 10s",
    `php_admin_value[error_log] = ${p.log}`,
    "php_admin_flag[log_errors] = on",
    "",
  ].join("\n");
}

export function serverConf(p: {
  listen: string;
  port: number;
  root: string;
  socket: string;
  /** how long nginx waits for PHP's answer (nginx's own default: 60 s) */
  readTimeoutSeconds?: number;
}) {
  return [
    "server {",
    `  listen ${p.listen}:${p.port};`,
    `  server_name ${p.listen};`,
    `  root ${p.root};`,
    "  index index.php;",
    "  client_max_body_size 16m;",
    "  location / { try_files $uri $uri/ /index.php?$args; }",
    "  location ~ \\.php$ {",
    "    include /etc/nginx/fastcgi_params;",
    "    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;",
    // Debian's fastcgi_params leaves the port out: a redirect loop on a non-80 port
    "    fastcgi_param HTTP_HOST $http_host;",
    `    fastcgi_pass unix:${p.socket};`,
    p.readTimeoutSeconds ? `    fastcgi_read_timeout ${p.readTimeoutSeconds}s;` : "",
    "  }",
    "}",
    "",
  ].join("\n");
}

/** PHP run by the CLI with WordPress loaded (and its admin includes); prints JSON. */
export function bootstrap(root: string, url: string, code: string): string {
  const host = new URL(url).host;
  return [
    "<?php",
    `$_SERVER['HTTP_HOST'] = ${phpString(host)};`,
    "$_SERVER['REQUEST_URI'] = '/';",
    "define('WP_INSTALLING', !empty(getenv('STEWARD_WP_INSTALLING')));",
    `require ${phpString(`${root}/wp-load.php`)};`,
    "require_once ABSPATH . 'wp-admin/includes/upgrade.php';",
    "require_once ABSPATH . 'wp-admin/includes/plugin.php';",
    code,
    "",
  ].join("\n");
}

/** Installs WordPress, makes the admin's application password, switches the theme. */
export const installCode = (admin: { user: string; password: string; email: string }) => `
$r = wp_install('Steward Test', ${phpString(admin.user)}, ${phpString(admin.email)}, false, '', wp_slash(${phpString(admin.password)}));
update_option('permalink_structure', '/%postname%/');
switch_theme('steward-test');
$app = WP_Application_Passwords::create_new_application_password($r['user_id'], ['name' => 'steward']);
if (is_wp_error($app)) { fwrite(STDERR, $app->get_error_message()); exit(1); }
echo json_encode(['userId' => $r['user_id'], 'applicationPassword' => $app[0]]);
`;
